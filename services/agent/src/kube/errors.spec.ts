import { describe, expect, it } from '@jest/globals';

import { describeError, isConflict, isNotFound, KubeApiError } from './errors.js';

describe('KubeApiError.fromResponse', () => {
  it('takes code, reason, message and details from a Status body', () => {
    const body = JSON.stringify({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      message: 'Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1',
      reason: 'Invalid',
      details: { name: 'web', kind: 'Deployment' },
      code: 422,
    });
    const err = KubeApiError.fromResponse(422, body, 'PATCH /apis/apps/v1/namespaces/shop/deployments/web');
    expect(err.code).toBe(422);
    expect(err.reason).toBe('Invalid');
    expect(err.message).toBe('Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1');
    expect(err.details).toEqual({ name: 'web', kind: 'Deployment' });
    expect(describeError(err)).toBe(
      'Invalid (422): Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1',
    );
  });

  it('falls back to the HTTP code when the body is not a Status', () => {
    const err = KubeApiError.fromResponse(503, 'upstream connect error', 'GET /api/v1');
    expect(err.reason).toBe('ServiceUnavailable');
    expect(err.message).toBe('GET /api/v1: upstream connect error');
    expect(KubeApiError.fromResponse(404, '', 'GET /x').message).toBe('GET /x: HTTP 404');
  });

  it('classifies', () => {
    expect(isNotFound(new KubeApiError(404, 'NotFound', 'gone'))).toBe(true);
    expect(isNotFound(new Error('404'))).toBe(false);
    expect(isConflict(new KubeApiError(409, 'Conflict', 'uid precondition'))).toBe(true);
    expect(describeError(new KubeApiError(0, 'Timeout', 'GET /api: no answer'))).toBe(
      'Timeout: GET /api: no answer',
    );
    expect(describeError('plain')).toBe('plain');
  });
});

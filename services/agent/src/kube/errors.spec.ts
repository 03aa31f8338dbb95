import { describe, expect, it } from '@jest/globals';

import { describeError, immutableFields, isConflict, isNotFound, KubeApiError } from './errors.js';

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

/** A 422 Status body as the API server sends it. */
function invalid(
  kind: string,
  group: string,
  name: string,
  message: string,
  causes?: { reason: string; message: string; field: string }[],
): string {
  return JSON.stringify({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason: 'Invalid',
    details: { name, ...(group === '' ? {} : { group }), kind, ...(causes ? { causes } : {}) },
    code: 422,
  });
}

/** How Kubernetes 1.34 prints the value (older releases print Go syntax: `v1.LabelSelector{…}`). */
const selector = '{"matchLabels":{"app":"web-v2"}}';

describe('immutableFields', () => {
  it.each<[string, number, string, string[] | undefined]>([
    [
      'a Deployment selector change',
      422,
      invalid(
        'Deployment',
        'apps',
        'web',
        `Deployment.apps "web" is invalid: spec.selector: Invalid value: ${selector}: field is immutable`,
        [
          {
            reason: 'FieldValueInvalid',
            message: `Invalid value: ${selector}: field is immutable`,
            field: 'spec.selector',
          },
        ],
      ),
      ['spec.selector'],
    ],
    [
      'a Job template change',
      422,
      invalid(
        'Job',
        'batch',
        'migrate',
        'Job.batch "migrate" is invalid: spec.template: Invalid value: core.PodTemplateSpec{ObjectMeta:v1.ObjectMeta{Name:""}}: field is immutable',
        [
          {
            reason: 'FieldValueInvalid',
            message:
              'Invalid value: core.PodTemplateSpec{ObjectMeta:v1.ObjectMeta{Name:""}}: field is immutable',
            field: 'spec.template',
          },
        ],
      ),
      ['spec.template'],
    ],
    [
      "a Service's cluster IP",
      422,
      invalid(
        'Service',
        '',
        'web',
        'Service "web" is invalid: spec.clusterIPs[0]: Invalid value: ["10.0.0.99"]: may not change once set',
        [
          {
            reason: 'FieldValueInvalid',
            message: 'Invalid value: ["10.0.0.99"]: may not change once set',
            field: 'spec.clusterIPs[0]',
          },
        ],
      ),
      ['spec.clusterIPs[0]'],
    ],
    [
      'a StatefulSet volumeClaimTemplates change',
      422,
      invalid(
        'StatefulSet',
        'apps',
        'db',
        "StatefulSet.apps \"db\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
        [
          {
            reason: 'FieldValueForbidden',
            message:
              "Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
            field: 'spec',
          },
        ],
      ),
      ['spec'],
    ],
    [
      'an immutable ConfigMap, two fields',
      422,
      invalid(
        'ConfigMap',
        '',
        'settings',
        'ConfigMap "settings" is invalid: [data: Forbidden: field is immutable when `immutable` is set, binaryData: Forbidden: field is immutable when `immutable` is set]',
        [
          {
            reason: 'FieldValueForbidden',
            message: 'Forbidden: field is immutable when `immutable` is set',
            field: 'data',
          },
          {
            reason: 'FieldValueForbidden',
            message: 'Forbidden: field is immutable when `immutable` is set',
            field: 'binaryData',
          },
        ],
      ),
      ['data', 'binaryData'],
    ],
    [
      "a custom resource's CEL transition rule",
      422,
      invalid(
        'Widget',
        'example.com',
        'w',
        'Widget.example.com "w" is invalid: spec.size: Invalid value: "string": Value is immutable',
        [
          {
            reason: 'FieldValueInvalid',
            message: 'Invalid value: "string": Value is immutable',
            field: 'spec.size',
          },
        ],
      ),
      ['spec.size'],
    ],
    [
      'a Status without causes: the field from the message',
      422,
      invalid(
        'DaemonSet',
        'apps',
        'agent',
        `DaemonSet.apps "agent" is invalid: spec.selector: Invalid value: ${selector}: field is immutable`,
      ),
      ['spec.selector'],
    ],
    [
      'an ordinary validation error',
      422,
      invalid(
        'Deployment',
        'apps',
        'web',
        'Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
        [
          {
            reason: 'FieldValueInvalid',
            message: 'Invalid value: -1: must be greater than or equal to 0',
            field: 'spec.replicas',
          },
        ],
      ),
      undefined,
    ],
    [
      'an immutable selector and a template that does not match it: re-creating would not help',
      422,
      invalid(
        'Deployment',
        'apps',
        'web',
        'Deployment.apps "web" is invalid: [spec.selector: …, spec.template.metadata.labels: …]',
        [
          {
            reason: 'FieldValueInvalid',
            message: `Invalid value: ${selector}: field is immutable`,
            field: 'spec.selector',
          },
          {
            reason: 'FieldValueInvalid',
            message:
              'Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`',
            field: 'spec.template.metadata.labels',
          },
        ],
      ),
      undefined,
    ],
    [
      'a conflict is not an immutable field',
      409,
      JSON.stringify({
        kind: 'Status',
        status: 'Failure',
        reason: 'Conflict',
        code: 409,
        message: 'field is immutable',
      }),
      undefined,
    ],
    [
      'an admission webhook denial naming no field',
      400,
      JSON.stringify({
        kind: 'Status',
        status: 'Failure',
        reason: 'BadRequest',
        code: 400,
        message: 'admission webhook "policy.example.com" denied the request: spec.owner is immutable',
      }),
      undefined,
    ],
  ])('%s', (_case, code, body, fields) => {
    expect(immutableFields(KubeApiError.fromResponse(code, body, 'PATCH /x'))).toEqual(fields);
  });

  it('is undefined for anything but an API error', () => {
    expect(immutableFields(new Error('field is immutable'))).toBeUndefined();
  });
});

import { describe, expect, it } from '@jest/globals';
import {
  AGENT_API_PATHS,
  AgentErrorSchema,
  ClusterFactsSchema,
  ClusterNameSchema,
  RegisterRequestSchema,
  RegisterResponseSchema,
  type RegisterRequestInput,
} from './agent-api.js';

const request: RegisterRequestInput = {
  token: 'fwr_abc123',
  clusterName: 'prod-eu-1',
  kubeSystemUid: '0b6f6a8e-2d7b-4a53-9c1e-7f1c0a0e9d11',
  agentVersion: '0.1.0',
};

describe('AGENT_API_PATHS', () => {
  it('are versioned by path', () => {
    expect(AGENT_API_PATHS.register).toBe('/agent/v1/register');
  });
});

describe('ClusterNameSchema', () => {
  it.each([['a'], ['prod-eu-1'], ['0cluster'], ['a'.repeat(63)], ['x-9']])('accepts %j', (name) => {
    expect(ClusterNameSchema.safeParse(name).success).toBe(true);
  });

  it.each([[''], ['-prod'], ['prod-'], ['Prod'], ['prod_eu'], ['prod.eu'], ['a'.repeat(64)], ['pröd'], [42]])(
    'rejects %j',
    (name) => {
      expect(ClusterNameSchema.safeParse(name).success).toBe(false);
    },
  );
});

describe('ClusterFactsSchema', () => {
  it.each<[unknown]>([
    [{}],
    [{ kubernetesVersion: 'v1.31.2', nodeCount: 3, provider: 'kind', region: 'eu-west-1' }],
    [{ nodeCount: 0 }],
  ])('accepts %j', (facts) => {
    expect(ClusterFactsSchema.safeParse(facts).success).toBe(true);
  });

  it.each<[string, unknown]>([
    ['unknown key', { zone: 'a' }],
    ['negative nodeCount', { nodeCount: -1 }],
    ['fractional nodeCount', { nodeCount: 1.5 }],
    ['long provider', { provider: 'p'.repeat(65) }],
    ['long kubernetesVersion', { kubernetesVersion: 'v'.repeat(65) }],
    ['region not a string', { region: 1 }],
    ['not an object', 'facts'],
  ])('rejects %s', (_name, facts) => {
    expect(ClusterFactsSchema.safeParse(facts).success).toBe(false);
  });
});

describe('RegisterRequestSchema', () => {
  it('fills in labels and facts', () => {
    expect(RegisterRequestSchema.parse(request)).toEqual({ ...request, labels: {}, facts: {} });
  });

  it('keeps labels and facts when given and strips unknown top-level keys', () => {
    const parsed = RegisterRequestSchema.parse({
      ...request,
      labels: { env: 'prod', region: 'eu' },
      facts: { nodeCount: 3 },
      future: 'field',
    });
    expect(parsed.labels).toEqual({ env: 'prod', region: 'eu' });
    expect(parsed.facts).toEqual({ nodeCount: 3 });
    expect(parsed).not.toHaveProperty('future');
  });

  it.each<[string, Record<string, unknown>]>([
    ['empty token', { token: '' }],
    ['token too long', { token: 't'.repeat(513) }],
    ['missing token', { token: undefined }],
    ['bad cluster name', { clusterName: 'Prod_EU' }],
    ['empty kubeSystemUid', { kubeSystemUid: '' }],
    ['kubeSystemUid too long', { kubeSystemUid: 'u'.repeat(65) }],
    ['label value not a string', { labels: { replicas: 3 } }],
    ['labels not a record', { labels: ['env=prod'] }],
    ['unknown fact', { facts: { cloud: 'aws' } }],
    ['empty agentVersion', { agentVersion: '' }],
    ['agentVersion too long', { agentVersion: 'v'.repeat(65) }],
  ])('rejects %s', (_name, patch) => {
    expect(RegisterRequestSchema.safeParse({ ...request, ...patch }).success).toBe(false);
  });
});

describe('RegisterResponseSchema', () => {
  const response = {
    clusterId: '6f1c2e1a-3b4d-4e5f-8a9b-0c1d2e3f4a5b',
    clusterName: 'prod-eu-1',
    credential: 'fwa_secret',
    signingKey: 'q'.repeat(43),
    reportsTopic: 'fleetwave.reports.v1',
    heartbeatIntervalSeconds: 30,
  };

  it('accepts a valid response', () => {
    expect(RegisterResponseSchema.parse(response)).toEqual(response);
  });

  it.each<[string, Record<string, unknown>]>([
    ['clusterId not a uuid', { clusterId: 'cluster-1' }],
    ['bad cluster name', { clusterName: 'Prod' }],
    ['empty credential', { credential: '' }],
    ['missing signingKey', { signingKey: undefined }],
    ['empty reportsTopic', { reportsTopic: '' }],
    ['fractional heartbeat interval', { heartbeatIntervalSeconds: 1.5 }],
    ['zero heartbeat interval', { heartbeatIntervalSeconds: 0 }],
  ])('rejects %s', (_name, patch) => {
    expect(RegisterResponseSchema.safeParse({ ...response, ...patch }).success).toBe(false);
  });
});

describe('AgentErrorSchema', () => {
  it.each<[unknown, boolean]>([
    [{ code: 'token-invalid', message: 'registration token is invalid or used up' }, true],
    [{ code: 'internal', message: '' }, true],
    [{ code: '', message: 'x' }, false],
    [{ message: 'no code' }, false],
    [{ code: 'x' }, false],
    ['Internal Server Error', false],
  ])('%j → %p', (body, ok) => {
    expect(AgentErrorSchema.safeParse(body).success).toBe(ok);
  });
});

import { describe, expect, it } from '@jest/globals';
import { registrationLabels } from './registration-labels.js';

describe('registrationLabels', () => {
  it.each<[string, Record<string, string>, Record<string, string>, Record<string, string>]>([
    ['neither sets labels', {}, {}, {}],
    ['only the token sets labels', { fleet: 'eu' }, {}, { fleet: 'eu' }],
    ['only the agent sets labels', {}, { env: 'dev' }, { env: 'dev' }],
    [
      'they set different keys (the agent fills what the token leaves open)',
      { fleet: 'eu' },
      { env: 'dev' },
      { fleet: 'eu', env: 'dev' },
    ],
    [
      'they conflict (the token wins)',
      { env: 'staging', fleet: 'eu' },
      { env: 'prod', team: 'web' },
      { env: 'staging', fleet: 'eu', team: 'web' },
    ],
    ['the token sets the empty value (it still wins)', { env: '' }, { env: 'prod' }, { env: '' }],
  ])('when %s', (_case, token, agent, expected) => {
    expect(registrationLabels(token, agent)).toEqual(expected);
  });

  it('changes neither input', () => {
    const token = { env: 'staging' };
    const agent = { env: 'prod' };
    registrationLabels(token, agent);
    expect([token, agent]).toEqual([{ env: 'staging' }, { env: 'prod' }]);
  });
});

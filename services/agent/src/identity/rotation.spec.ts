import { describe, expect, it } from '@jest/globals';
import { type RegisterResponse } from '@fleetwave/contracts';
import { pino } from 'pino';
import { HubError } from '../hub/hub-client.js';
import { CredentialRotator, rotationDue, rotationDueAt } from './rotation.js';

const ISSUED = '2026-03-01T00:00:00.000Z';
const EXPIRES = '2026-03-31T00:00:00.000Z'; // 30 days: due after 20
const day = (n: number) => new Date(Date.parse(ISSUED) + n * 86_400_000);

describe('rotationDueAt / rotationDue', () => {
  it('is two thirds into the lifetime', () => {
    expect(rotationDueAt({ credentialIssuedAt: ISSUED, credentialExpiresAt: EXPIRES })).toEqual(day(20));
  });

  it.each<[string, { credentialIssuedAt?: string; credentialExpiresAt?: string }, Date, boolean]>([
    ['just issued', { credentialIssuedAt: ISSUED, credentialExpiresAt: EXPIRES }, day(0), false],
    ['half-way', { credentialIssuedAt: ISSUED, credentialExpiresAt: EXPIRES }, day(15), false],
    [
      'a moment before two thirds',
      { credentialIssuedAt: ISSUED, credentialExpiresAt: EXPIRES },
      new Date(day(20).getTime() - 1),
      false,
    ],
    ['at two thirds', { credentialIssuedAt: ISSUED, credentialExpiresAt: EXPIRES }, day(20), true],
    ['past the expiry', { credentialIssuedAt: ISSUED, credentialExpiresAt: EXPIRES }, day(31), true],
    ['no lifetime known (an identity from before expiring credentials)', {}, day(0), true],
    ['an unreadable expiry', { credentialIssuedAt: ISSUED, credentialExpiresAt: 'soon' }, day(0), true],
    [
      'an expiry before the issue',
      { credentialIssuedAt: EXPIRES, credentialExpiresAt: ISSUED },
      day(0),
      true,
    ],
  ])('%s → %s', (_case, lifetime, now, expected) => {
    expect(rotationDue(lifetime, now)).toBe(expected);
  });
});

function identity(
  n: number,
  lifetime = { credentialIssuedAt: ISSUED, credentialExpiresAt: EXPIRES },
): RegisterResponse {
  return {
    clusterId: '6f1c2e1a-3b4d-4e5f-8a9b-0c1d2e3f4a5b',
    clusterName: 'east',
    credential: `fwc_${n}`,
    signingKey: `key-${n}`,
    reportsTopic: 'fleetwave.reports.v1',
    heartbeatIntervalSeconds: 30,
    ...lifetime,
  };
}

function rotator(options: {
  now: Date;
  answer?: () => Promise<RegisterResponse>;
  save?: () => Promise<void>;
}) {
  const steps: string[] = [];
  const deps = {
    hub: {
      rotateCredential: () => {
        steps.push('rotate');
        return (options.answer ?? (() => Promise.resolve(identity(2))))();
      },
      useCredential: (credential: string) => void steps.push(`use ${credential}`),
    },
    store: {
      save: (saved: RegisterResponse) => {
        steps.push(`save ${saved.credential}`);
        return (options.save ?? (() => Promise.resolve()))();
      },
    },
    reporter: { useSigningKey: (key: string) => void steps.push(`sign with ${key}`) },
    now: () => options.now,
    logger: pino({ level: 'silent' }),
  };
  return { rotator: new CredentialRotator(identity(1), deps), steps };
}

describe('CredentialRotator', () => {
  it('does nothing before two thirds of the lifetime', async () => {
    const { rotator: r, steps } = rotator({ now: day(10) });
    expect(await r.rotateIfDue()).toBe('not-due');
    expect(steps).toEqual([]);
  });

  it('saves the new credential before the client and the reporter use it', async () => {
    const { rotator: r, steps } = rotator({ now: day(20) });
    expect(await r.rotateIfDue()).toBe('rotated');
    expect(steps).toEqual(['rotate', 'save fwc_2', 'use fwc_2', 'sign with key-2']);
    expect(r.current.credential).toBe('fwc_2');
  });

  it('keeps the old credential when the new one cannot be saved, and rotates again next time', async () => {
    let saves = 0;
    const save = () =>
      ++saves === 1 ? Promise.reject(new Error('Secret write refused')) : Promise.resolve();
    const { rotator: r, steps } = rotator({ now: day(21), save });
    expect(await r.rotateIfDue()).toBe('failed');
    expect(r.current.credential).toBe('fwc_1');
    expect(steps).toEqual(['rotate', 'save fwc_2']);
    expect(await r.rotateIfDue()).toBe('rotated');
    expect(r.current.credential).toBe('fwc_2');
  });

  it('retries later when the hub cannot be reached', async () => {
    const answer = () => Promise.reject(new HubError('hub unreachable'));
    const { rotator: r, steps } = rotator({ now: day(21), answer });
    expect(await r.rotateIfDue()).toBe('failed');
    expect(await r.rotateIfDue()).toBe('failed');
    expect(steps).toEqual(['rotate', 'rotate']);
  });

  it('stops asking a hub that has no rotation endpoint', async () => {
    const answer = () => Promise.reject(new HubError('not found', 404, 'NOT_FOUND'));
    const { rotator: r, steps } = rotator({ now: day(21), answer });
    expect(await r.rotateIfDue()).toBe('unsupported');
    expect(await r.rotateIfDue()).toBe('unsupported');
    expect(steps).toEqual(['rotate']);
  });
});

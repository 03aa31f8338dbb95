import { describe, expect, it } from '@jest/globals';
import { type HealthCheck } from '@fleetwave/contracts';
import { CompiledHealthChecksCache } from './compiled-health-checks.js';

const rule = (current: string): HealthCheck => ({ apiVersion: 'example.com/v1', kind: 'Widget', current });

describe('CompiledHealthChecksCache', () => {
  it('compiles equal rules once and changed rules again', () => {
    const cache = new CompiledHealthChecksCache();
    const first = cache.get([rule('true')]);
    expect(cache.get([rule('true')])).toBe(first);
    expect(cache.get([rule('false')])).not.toBe(first);
    expect(cache.size).toBe(2);
  });

  it('keeps the answer for rules that do not compile, with their problems', () => {
    const cache = new CompiledHealthChecksCache();
    const bad = cache.get([rule('status.ready ==')]);
    expect(bad).toEqual({
      ok: false,
      problems: [{ index: 0, field: 'current', message: 'Unexpected token: EOF', line: 1, column: 16 }],
    });
    expect(cache.get([rule('status.ready ==')])).toBe(bad);
  });

  it('needs no entry for an assignment without rules', () => {
    const cache = new CompiledHealthChecksCache();
    const none = cache.get([]);
    expect(none.ok && none.checks.size).toBe(0);
    expect(cache.size).toBe(0);
  });

  it('drops the least recently used beyond its limit', () => {
    const cache = new CompiledHealthChecksCache(2);
    const a = cache.get([rule('true')]);
    const b = cache.get([rule('false')]);
    expect(cache.get([rule('true')])).toBe(a); // a is now the most recent
    cache.get([rule('1 == 1')]); // evicts b
    expect(cache.size).toBe(2);
    expect(cache.get([rule('true')])).toBe(a);
    expect(cache.get([rule('false')])).not.toBe(b);
  });
});

import { describe, expect, it } from '@jest/globals';
import { decide } from './engine.js';
import { freshSnapshot, pendingMember, planOf, prng } from './engine-fixtures.js';
import { assignWaves, type FleetCluster } from './membership.js';
import { validatePlan } from './plan.js';
import { parseSpreadBy, spreadOrder } from './spread.js';

const region = (name: string): string | undefined => name.split('-')[1];

describe('spreadOrder', () => {
  it.each<[string, string[], string[]]>([
    ['empty', [], []],
    ['one value keeps the order', ['a-eu', 'b-eu', 'c-eu'], ['a-eu', 'b-eu', 'c-eu']],
    [
      'round robin over the values, in value order',
      ['a-us', 'b-us', 'c-us', 'd-eu', 'e-eu', 'f-ap'],
      ['f-ap', 'd-eu', 'a-us', 'e-eu', 'b-us', 'c-us'],
    ],
    [
      'clusters without the label come last in each round',
      ['a', 'b-us', 'c', 'd-us'],
      ['b-us', 'a', 'd-us', 'c'],
    ],
    ['name order within a value', ['z-eu', 'a-us', 'm-eu', 'b-us'], ['z-eu', 'a-us', 'm-eu', 'b-us']],
  ])('%s', (_name, names, expected) => {
    expect(spreadOrder(names, region)).toEqual(expected);
  });

  it('on random fleets: keeps each value in order and spreads every prefix within one', () => {
    const choices = ['eu', 'us', 'ap', undefined];
    for (let seed = 1; seed <= 300; seed++) {
      const next = prng(seed); // a failure names the seed that replays it
      const values = Array.from({ length: Math.floor(next() * 40) }, () => choices[Math.floor(next() * 4)]);
      const items = values.map((value, i) => ({ i, value }));
      const out = spreadOrder(items, (item) => item.value);
      // A permutation that keeps the given order within each value.
      expect({ seed, out: [...out].sort((a, b) => a.i - b.i) }).toEqual({ seed, out: items });
      for (const value of new Set(values)) {
        const within = out.filter((item) => item.value === value).map((item) => item.i);
        expect({ seed, within }).toEqual({ seed, within: [...within].sort((a, b) => a - b) });
      }
      // Every prefix: no value is ahead by more than one of a value that still has clusters after it.
      for (let n = 0; n <= out.length; n++) {
        const counts = new Map<string | undefined, number>();
        for (const item of out.slice(0, n)) counts.set(item.value, (counts.get(item.value) ?? 0) + 1);
        const open = [...new Set(out.slice(n).map((item) => item.value))].map((v) => counts.get(v) ?? 0);
        const all = [...new Set(values)].map((v) => counts.get(v) ?? 0);
        if (open.length > 0)
          expect({ seed, n, spread: Math.max(...all) - Math.min(...open) <= 1 }).toEqual({
            seed,
            n,
            spread: true,
          });
      }
    }
  });
});

describe('parseSpreadBy', () => {
  it.each<[unknown, string | undefined, string[]]>([
    [undefined, undefined, []],
    ['region', 'region', []],
    ['topology.kubernetes.io/zone', 'topology.kubernetes.io/zone', []],
    [3, undefined, ['waves[0].spreadBy: must be a label key such as "region"']],
    ['-bad', undefined, ['waves[0].spreadBy: name part must start and end with an alphanumeric character']],
  ])('%p', (raw, value, errors) => {
    const found: string[] = [];
    expect(parseSpreadBy(raw, 'waves[0]', found)).toBe(value);
    expect(found.map((e) => e.split(':')[0])).toEqual(errors.map((e) => e.split(':')[0]));
  });
});

describe('spreadBy in a plan, the preview and decide', () => {
  const plan = planOf({
    waves: [{ name: 'prod', selector: 'env=prod', maxConcurrency: 3, spreadBy: 'region' }],
  });
  const names = ['p1-us', 'p2-us', 'p3-us', 'p4-eu', 'p5-eu', 'p6-ap'];
  const labelsOf = (name: string) => ({ env: 'prod', region: region(name)! });

  it('is kept by the plan and refused when it is no label key', () => {
    expect(plan.waves[0]!.spreadBy).toBe('region');
    const bad = validatePlan({ rest: { spreadBy: 'not a key' } });
    expect('errors' in bad && bad.errors[0]).toMatch(/^rest\.spreadBy: /);
  });

  it('orders the preview so the first batch covers every region', () => {
    const fleet: FleetCluster[] = names.map((name) => ({
      id: name,
      name,
      labels: labelsOf(name),
      cordoned: false,
      status: 'Ready',
    }));
    expect(assignWaves(plan, fleet, '').waves[0]!.clusterNames).toEqual([
      'p6-ap',
      'p4-eu',
      'p1-us',
      'p5-eu',
      'p2-us',
      'p3-us',
    ]);
  });

  it('assigns the first batch across the regions instead of the first three names', () => {
    const records = names.map((name) => pendingMember(name, 'prod', { labels: labelsOf(name) }));
    const decision = decide(freshSnapshot(plan, records), new Date('2026-01-01T00:00:00Z'));
    expect(decision.assign).toEqual(['p6-ap', 'p4-eu', 'p1-us']);
  });
});

import { type AssignedBundle, reconfigureCandidates, reconfigureTargets } from './reconfigure.js';

const SETTLED = 'a'.repeat(40);
const OTHER = 'b'.repeat(40);

function state(
  assigned: Record<string, AssignedBundle>,
  rendered: Record<string, string>,
  options: { settled?: string | null; busy?: string[] } = {},
) {
  return {
    settledCommit: options.settled === undefined ? SETTLED : options.settled,
    placed: Object.keys(assigned).concat(Object.keys(rendered).filter((id) => !(id in assigned))),
    assigned: new Map(Object.entries(assigned)),
    inActiveRollout: new Set(options.busy ?? []),
    rendered: new Map(Object.entries(rendered)),
  };
}

describe('reconfigureTargets', () => {
  it.each([
    ['same bundle: nothing', { c1: { commit: SETTLED, digest: 'd1' } }, { c1: 'd1' }, {}, []],
    ['bundle changed: the cluster', { c1: { commit: SETTLED, digest: 'd1' } }, { c1: 'd2' }, {}, ['c1']],
    ['another commit: the catch-up lane’s', { c1: { commit: OTHER, digest: 'd1' } }, { c1: 'd2' }, {}, []],
    ['never assigned: the catch-up lane’s', {}, { c1: 'd2' }, {}, []],
    [
      'in a running rollout: it moves with it',
      { c1: { commit: SETTLED, digest: 'd1' } },
      { c1: 'd2' },
      { busy: ['c1'] },
      [],
    ],
    ['does not render any more: keeps what it runs', { c1: { commit: SETTLED, digest: 'd1' } }, {}, {}, []],
    [
      'no settled commit: nothing',
      { c1: { commit: SETTLED, digest: 'd1' } },
      { c1: 'd2' },
      { settled: null },
      [],
    ],
    [
      'only the changed ones, in placement order',
      {
        c1: { commit: SETTLED, digest: 'd1' },
        c2: { commit: SETTLED, digest: 'd1' },
        c3: { commit: SETTLED, digest: 'd3' },
      },
      { c1: 'd1', c2: 'd2', c3: 'd4' },
      {},
      ['c2', 'c3'],
    ],
  ])('%s', (_case, assigned, rendered, options, expected) => {
    expect(reconfigureTargets(state(assigned, rendered, options))).toEqual(expected);
  });

  it('renders only the candidates: placed, on the settled commit, in no rollout', () => {
    const s = state(
      {
        c1: { commit: SETTLED, digest: 'd1' },
        c2: { commit: OTHER, digest: 'd2' },
        c3: { commit: SETTLED, digest: 'd3' },
      },
      {},
      { busy: ['c3'] },
    );
    expect(reconfigureCandidates(s)).toEqual(['c1']);
  });
});

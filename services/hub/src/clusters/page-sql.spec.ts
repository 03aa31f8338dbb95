import { parseSelector } from '@fleetwave/labels';
import {
  CLUSTER_VIEW_PROPERTIES,
  type ClusterPageRequest,
  type ClusterViewJson,
  clusterViewFromJson,
  pageSql,
} from './page-sql.js';

/** The statement's two parts: the count's subquery and the page's (from its json_agg on). */
function parts(request: ClusterPageRequest) {
  const { sql, params } = pageSql(request);
  const [count, page] = sql.split(' AS total,');
  return { count: count!, page: page!, params };
}

describe('pageSql', () => {
  it.each<[string, ClusterPageRequest, { countWhere: string | null; pageWhere: string; params: object }]>([
    [
      'no filter, first page',
      { selector: [], limit: 100 },
      { countWhere: '', pageWhere: '', params: { limit: 101 } },
    ],
    [
      'selector and status; the cursor filters the page only',
      { selector: parseSelector('env in (prod,staging)'), status: 'Ready', afterName: 'c-1', limit: 50 },
      {
        countWhere:
          'WHERE cluster.labels ->> :sel0k = ANY(CAST(:sel0v AS text[])) AND cluster.status = :status',
        pageWhere:
          'WHERE cluster.labels ->> :sel0k = ANY(CAST(:sel0v AS text[])) AND cluster.status = :status AND cluster.name > :afterName',
        params: { sel0k: 'env', sel0v: ['prod', 'staging'], status: 'Ready', afterName: 'c-1', limit: 51 },
      },
    ],
    [
      'cursor only',
      { selector: [], afterName: 'm', limit: 0 },
      { countWhere: '', pageWhere: 'WHERE cluster.name > :afterName', params: { afterName: 'm', limit: 1 } },
    ],
    [
      'not counted',
      { selector: parseSelector('tier=web'), limit: 10, count: false },
      {
        countWhere: null,
        pageWhere: 'WHERE cluster.labels @> CAST(:sel0v AS jsonb)',
        params: { sel0v: '{"tier":"web"}', limit: 11 },
      },
    ],
  ])('%s', (_case, request, expected) => {
    const { count, page, params } = parts(request);
    if (expected.countWhere === null) expect(count).toBe('SELECT NULL::int');
    else expect(count).toBe(`SELECT (SELECT count(*)::int FROM cluster ${expected.countWhere})`);
    expect(page).toContain(
      `FROM (SELECT * FROM cluster ${expected.pageWhere} ORDER BY cluster.name LIMIT :limit) c`,
    );
    expect(params).toEqual(expected.params);
  });

  it('builds each row after the LIMIT, in name order, and an empty page as []', () => {
    const { page } = parts({ selector: [], limit: 1 });
    expect(page).toMatch(
      /coalesce\(json_agg\(json_build_array\(c\.id, c\.name, c\.labels, .*, c\.created_at\) ORDER BY c\.name\), '\[\]'::json\)/s,
    );
    expect(page).not.toMatch(/credential_hash|signing_key/);
  });
});

describe('clusterViewFromJson', () => {
  const row = (overrides: Partial<Record<number, unknown>> = {}): ClusterViewJson => {
    const base: ClusterViewJson = [
      'id-1',
      'c-1',
      { env: 'prod' },
      { provider: 'kind' },
      'Ready',
      false,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      '2026-12-03T09:00:00.123456+00:00',
    ];
    for (const [i, v] of Object.entries(overrides)) base[Number(i)] = v as never;
    return base;
  };

  it.each<[string, ClusterViewJson, Record<string, unknown>]>([
    [
      'a cluster that never reported: nulls stay null, created to the millisecond',
      row(),
      {
        id: 'id-1',
        name: 'c-1',
        labels: { env: 'prod' },
        facts: { provider: 'kind' },
        status: 'Ready',
        cordoned: false,
        agentVersion: null,
        lastHeartbeatAt: null,
        maintenanceSince: null,
        deregistrationRequestedAt: null,
        credentialExpiresAt: null,
        createdAt: new Date('2026-12-03T09:00:00.123Z'),
      },
    ],
    [
      'every timestamp set, in maintenance and being deregistered',
      row({
        6: '1.4.0',
        7: '2026-12-03T10:00:00.5+00:00',
        8: 'disk',
        9: '2026-12-01T00:00:00+00:00',
        10: '2026-12-02T00:00:00+00:00',
        11: 'token:ops',
        12: 'orphan',
        13: '2027-01-01T00:00:00+00:00',
        14: '2026-12-02T01:00:00+00:00',
        15: '2026-12-02T02:00:00.999999+00:00',
      }),
      {
        agentVersion: '1.4.0',
        lastHeartbeatAt: new Date('2026-12-03T10:00:00.500Z'),
        maintenanceReason: 'disk',
        maintenanceSince: new Date('2026-12-01T00:00:00Z'),
        deregistrationRequestedAt: new Date('2026-12-02T00:00:00Z'),
        deregistrationRequestedBy: 'token:ops',
        deregistrationPolicy: 'orphan',
        credentialExpiresAt: new Date('2027-01-01T00:00:00Z'),
        credentialRevokedAt: new Date('2026-12-02T01:00:00Z'),
        previousValidUntil: new Date('2026-12-02T02:00:00.999Z'),
      },
    ],
  ])('%s', (_case, json, expected) => {
    const view = clusterViewFromJson(json);
    expect(view).toMatchObject(expected);
    expect(Object.keys(view).sort()).toEqual([...CLUSTER_VIEW_PROPERTIES].sort());
  });
});

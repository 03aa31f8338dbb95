import { type ClusterEntity, type ClusterStatus } from './cluster.entity.js';
import { type Selector } from '@fleetwave/labels';
import { dateFromJson } from '../common/json-date.js';
import { selectorToSql } from './selector-sql.js';

// A page of clusters as one statement (ClustersRepository.page runs it): kept pure for its table test.

export interface ClusterFilter {
  selector: Selector;
  status?: ClusterStatus | undefined;
}

export interface ClusterPageRequest extends ClusterFilter {
  /** Exclusive lower bound on the name (the cursor); undefined for the first page. */
  afterName?: string | undefined;
  limit: number;
  /** false: the total is not counted (0), for a caller that does not show it. Default true. */
  count?: boolean | undefined;
}

/**
 * ClusterModel's columns in the order each row's JSON array carries them (`clusterViewFromJson`
 * reads them by position): an array parses faster than an object repeating 17 keys a row.
 */
const CLUSTER_VIEW_COLUMNS = [
  ['id', 'id'],
  ['name', 'name'],
  ['labels', 'labels'],
  ['facts', 'facts'],
  ['status', 'status'],
  ['cordoned', 'cordoned'],
  ['agentVersion', 'agent_version'],
  ['lastHeartbeatAt', 'last_heartbeat_at'],
  ['maintenanceReason', 'maintenance_reason'],
  ['maintenanceSince', 'maintenance_since'],
  ['deregistrationRequestedAt', 'deregistration_requested_at'],
  ['deregistrationRequestedBy', 'deregistration_requested_by'],
  ['deregistrationPolicy', 'deregistration_policy'],
  ['credentialExpiresAt', 'credential_expires_at'],
  ['credentialRevokedAt', 'credential_revoked_at'],
  ['previousValidUntil', 'previous_valid_until'],
  ['createdAt', 'created_at'],
] as const satisfies readonly (readonly [keyof ClusterEntity, string])[];

/** What the API shows of a cluster: the entity's columns a page reads (no secrets, no sequence). */
export type ClusterView = Pick<ClusterEntity, (typeof CLUSTER_VIEW_COLUMNS)[number][0]>;

/** The properties of a {@link ClusterView} (tests compare a page with TypeORM's entities by them). */
export const CLUSTER_VIEW_PROPERTIES: readonly (keyof ClusterView)[] = CLUSTER_VIEW_COLUMNS.map(([p]) => p);

/** One row of `c` as a JSON array. */
const CLUSTER_VIEW_JSON = `json_build_array(${CLUSTER_VIEW_COLUMNS.map(([, column]) => `c.${column}`).join(', ')})`;

/** A row as the JSON array carries it: timestamps as ISO text. */
export type ClusterViewJson = [
  id: string,
  name: string,
  labels: Record<string, string>,
  facts: ClusterEntity['facts'],
  status: ClusterEntity['status'],
  cordoned: boolean,
  agentVersion: string | null,
  lastHeartbeatAt: string | null,
  maintenanceReason: string | null,
  maintenanceSince: string | null,
  deregistrationRequestedAt: string | null,
  deregistrationRequestedBy: string | null,
  deregistrationPolicy: ClusterEntity['deregistrationPolicy'],
  credentialExpiresAt: string | null,
  credentialRevokedAt: string | null,
  previousValidUntil: string | null,
  createdAt: string,
];

/** The view TypeORM's entity would have given of the row (timestamps to the millisecond). */
export function clusterViewFromJson([
  id,
  name,
  labels,
  facts,
  status,
  cordoned,
  agentVersion,
  lastHeartbeatAt,
  maintenanceReason,
  maintenanceSince,
  deregistrationRequestedAt,
  deregistrationRequestedBy,
  deregistrationPolicy,
  credentialExpiresAt,
  credentialRevokedAt,
  previousValidUntil,
  createdAt,
]: ClusterViewJson): ClusterView {
  return {
    id,
    name,
    labels,
    facts,
    status,
    cordoned,
    agentVersion,
    lastHeartbeatAt: dateFromJson(lastHeartbeatAt),
    maintenanceReason,
    maintenanceSince: dateFromJson(maintenanceSince),
    deregistrationRequestedAt: dateFromJson(deregistrationRequestedAt),
    deregistrationRequestedBy,
    deregistrationPolicy,
    credentialExpiresAt: dateFromJson(credentialExpiresAt),
    credentialRevokedAt: dateFromJson(credentialRevokedAt),
    previousValidUntil: dateFromJson(previousValidUntil),
    createdAt: new Date(createdAt),
  };
}

/**
 * The page statement with TypeORM named parameters (`:name`, as selector-sql makes them): the count
 * and the page as two scalar subqueries of one row, the count over the filter without the cursor.
 */
export function pageSql({ selector, status, afterName, limit, count = true }: ClusterPageRequest): {
  sql: string;
  params: Record<string, unknown>;
} {
  const labels = selectorToSql(selector, 'cluster.labels');
  const filter: string[] = labels.clause ? [labels.clause] : [];
  const params: Record<string, unknown> = { ...labels.params, limit: limit + 1 };
  if (status !== undefined) {
    filter.push('cluster.status = :status');
    params.status = status;
  }
  const where = (clauses: string[]) => (clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '');
  const paged = [...filter];
  if (afterName !== undefined) {
    paged.push('cluster.name > :afterName');
    params.afterName = afterName;
  }
  const total = count ? `(SELECT count(*)::int FROM cluster ${where(filter)})` : 'NULL::int';
  const sql = `SELECT ${total} AS total,
    (SELECT coalesce(json_agg(${CLUSTER_VIEW_JSON} ORDER BY c.name), '[]'::json)
       FROM (SELECT * FROM cluster ${where(paged)} ORDER BY cluster.name LIMIT :limit) c) AS rows`;
  return { sql, params };
}

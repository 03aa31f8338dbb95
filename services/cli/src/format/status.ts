import { type Placement } from '../resources/placements.js';
import { formatAge } from './age.js';
import { renderTable } from './table.js';

/** Pure: a commit as tables show it (12 hex digits, like git's short form), `<none>` without one. */
export function shortCommit(commit: string | null | undefined): string {
  return commit ? commit.slice(0, 12) : '<none>';
}

/**
 * Pure: the phase as the STATUS column shows it: the reported phase, `,Behind` when it does not
 * report its desired revision, `,Maintenance` when its cluster is in maintenance.
 */
export function placementPhase(p: Pick<Placement, 'phase' | 'behind' | 'maintenance'>): string {
  return [p.phase, ...(p.behind ? ['Behind'] : []), ...(p.maintenance ? ['Maintenance'] : [])].join(',');
}

/** Pure: DRIFT as `<in the last hour>/<in all>`, e.g. `1/3`. */
export function driftCell(p: Pick<Placement, 'driftCorrections' | 'driftCorrectionsLastHour'>): string {
  return `${p.driftCorrectionsLastHour}/${p.driftCorrections}`;
}

/**
 * Pure: the status matrix as `fleetctl status` prints it, one row per (application, cluster):
 * APP CLUSTER PHASE READY COMMIT DESIRED DRIFT LAST REPORT; `wide` adds WAITING, FAILING (the first
 * failing object and how many) and LAST APPLIED.
 */
export function statusTable(placements: readonly Placement[], now: Date, wide = false): string {
  const headers = ['app', 'cluster', 'phase', 'ready', 'commit', 'desired', 'drift', 'last report'];
  if (wide) headers.push('last applied', 'waiting', 'failing');
  return renderTable(
    headers,
    placements.map((p) => {
      const row = [
        p.application,
        p.cluster.name,
        placementPhase(p),
        p.total === null || p.total === undefined ? '-' : `${p.ready ?? 0}/${p.total}`,
        shortCommit(p.reportedCommit),
        shortCommit(p.desiredCommit),
        driftCell(p),
        formatAge(p.lastReportAt, now),
      ];
      if (wide) row.push(formatAge(p.lastAppliedAt, now), p.waiting ? p.waiting.kind : '-', failingCell(p));
      return row;
    }),
  );
}

function failingCell(p: Pick<Placement, 'failing' | 'failingCount'>): string {
  const first = p.failing[0];
  if (first === undefined) return '-';
  const more = p.failingCount > 1 ? ` (+${p.failingCount - 1})` : '';
  return `${first.id}: ${first.reason}${more}`;
}

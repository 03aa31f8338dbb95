import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  DashboardClusterChangedDocument,
  DashboardPlacementsDocument,
  type DashboardPlacementsQuery,
  type PlacementPhase,
} from '@fleetwave/api-client';
import { ErrorBanner } from '../components/ErrorBanner';
import { useQuery } from '../lib/use-query';
import { useSubscription } from '../lib/use-subscription';
import { navigate } from '../router/router';

type Placement = DashboardPlacementsQuery['placements']['edges'][number]['node'];

/** The whole matrix in one read (the hub's page limit): a fleet wider than this shows its first cells. */
const MAX_CELLS = 500;
/**
 * Bundle statuses reach the hub in reports, which no subscription carries yet: the matrix reads
 * again this often, and at once when a cluster changes (clusterChanged).
 */
const REFRESH_MS = 5000;

/** Cell colours, as on the rollout page. */
export const PLACEMENT_TONE: Record<PlacementPhase, string> = {
  Missing: 'pending',
  Pending: 'pending',
  Applying: 'moving',
  Progressing: 'moving',
  Healthy: 'healthy',
  Degraded: 'failed',
  Failed: 'failed',
  Stalled: 'failed',
  Removing: 'skipped',
};

/** Pure: applications (rows) × clusters (columns), each sorted by name, and the cell of each pair. */
export function matrixOf(placements: readonly Placement[]): {
  applications: string[];
  clusters: string[];
  cell: (application: string, cluster: string) => Placement | undefined;
} {
  const cells = new Map(placements.map((p) => [`${p.application}/${p.cluster.name}`, p]));
  const sorted = (values: Iterable<string>) => [...new Set(values)].sort();
  return {
    applications: sorted(placements.map((p) => p.application)),
    clusters: sorted(placements.map((p) => p.cluster.name)),
    cell: (application, cluster) => cells.get(`${application}/${cluster}`),
  };
}

export function MatrixPage() {
  const initial = useMemo(() => new URLSearchParams(window.location.search), []);
  const [application, setApplication] = useState(initial.get('app') ?? '');
  const [selectorInput, setSelectorInput] = useState(initial.get('selector') ?? '');
  const [selector, setSelector] = useState(initial.get('selector') ?? '');
  const [drifted, setDrifted] = useState(initial.get('drifted') === 'true');
  const [open, setOpen] = useState<Placement | null>(null);

  useEffect(() => {
    const timer = window.setTimeout(() => setSelector(selectorInput.trim()), 400);
    return () => window.clearTimeout(timer);
  }, [selectorInput]);

  useEffect(() => {
    const params = new URLSearchParams();
    if (application) params.set('app', application);
    if (selector) params.set('selector', selector);
    if (drifted) params.set('drifted', 'true');
    const query = params.toString();
    const target = `${window.location.pathname}${query ? `?${query}` : ''}`;
    if (target !== `${window.location.pathname}${window.location.search}`)
      navigate(target, { replace: true });
  }, [application, selector, drifted]);

  const variables = {
    filter: {
      application: application || null,
      clusterSelector: selector || null,
      drifted: drifted ? true : null,
    },
    first: MAX_CELLS,
    after: null,
  };
  const result = useQuery(DashboardPlacementsDocument, variables, { refetchOnReconnect: true });
  const { reload } = result;
  useEffect(() => {
    const timer = window.setInterval(reload, REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [reload]);
  const pending = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(pending.current), []);
  const onClusterChanged = useCallback(() => {
    window.clearTimeout(pending.current);
    pending.current = window.setTimeout(reload, 300);
  }, [reload]);
  const liveError = useSubscription(
    DashboardClusterChangedDocument,
    { selector: null },
    onClusterChanged,
    true,
  );

  const placements = result.data?.placements.edges.map((e) => e.node) ?? [];
  const matrix = matrixOf(placements);
  // The open cell follows the data: its failing objects as of the latest read.
  const shown = open && matrix.cell(open.application, open.cluster.name);

  return (
    <section className="page">
      <div className="page-header">
        <h1>Status</h1>
        <span className="muted">applications × clusters, coloured by phase</span>
      </div>
      <form className="filters" onSubmit={(event) => event.preventDefault()}>
        <label className="field">
          <span>Application</span>
          <input
            type="search"
            value={application}
            onChange={(event) => setApplication(event.target.value.trim())}
            placeholder="all"
            spellCheck={false}
            data-testid="matrix-application"
          />
        </label>
        <label className="field grow">
          <span>Cluster selector</span>
          <input
            type="search"
            value={selectorInput}
            onChange={(event) => setSelectorInput(event.target.value)}
            placeholder="env=prod"
            spellCheck={false}
            data-testid="matrix-selector"
          />
        </label>
        <label className="field">
          <span>Drifted only</span>
          <input
            type="checkbox"
            checked={drifted}
            onChange={(event) => setDrifted(event.target.checked)}
            data-testid="matrix-drifted"
          />
        </label>
      </form>
      <ErrorBanner message={result.error} title="Cannot read the matrix:" testId="matrix-error" />
      <ErrorBanner message={liveError} title="Live updates:" testId="matrix-live-error" />
      {result.data && !result.error && (
        <div className={result.loading ? 'table-wrap loading' : 'table-wrap'}>
          <table className="table matrix" data-testid="matrix">
            <thead>
              <tr>
                <th>Application</th>
                {matrix.clusters.map((cluster) => (
                  <th key={cluster}>{cluster}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {matrix.applications.map((app) => (
                <tr key={app}>
                  <td className="name">{app}</td>
                  {matrix.clusters.map((cluster) => {
                    const p = matrix.cell(app, cluster);
                    if (!p)
                      return (
                        <td key={cluster} className="muted">
                          —
                        </td>
                      );
                    return (
                      <td key={cluster}>
                        <button
                          type="button"
                          className={`cell matrix-cell phase-${PLACEMENT_TONE[p.phase]}`}
                          data-testid={`matrix-cell-${app}-${cluster}`}
                          data-phase={p.phase}
                          title={p.waiting?.message ?? `${p.phase}${p.behind ? ', behind' : ''}`}
                          onClick={() => setOpen(p)}
                        >
                          <span className="cell-phase">
                            {p.phase}
                            {p.behind ? ' · behind' : ''}
                          </span>
                          {p.total !== null && p.total !== undefined && (
                            <span className="cell-note">
                              {p.ready}/{p.total} ready
                            </span>
                          )}
                          {p.driftCorrectionsLastHour > 0 && (
                            <span
                              className="badge tone-warn"
                              title={`${p.driftCorrectionsLastHour} drift corrections in the last hour, ${p.driftCorrections} in all`}
                              data-testid={`matrix-drift-${app}-${cluster}`}
                            >
                              drift {p.driftCorrectionsLastHour}
                            </span>
                          )}
                        </button>
                      </td>
                    );
                  })}
                </tr>
              ))}
              {placements.length === 0 && (
                <tr>
                  <td className="empty" data-testid="matrix-empty">
                    No placements match.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
      {shown && (
        <aside className="panel" data-testid="matrix-detail">
          <h2>
            {shown.application} on {shown.cluster.name}
          </h2>
          <p>
            {shown.phase}
            {shown.behind
              ? `, behind: runs ${short(shown.reportedCommit)}, desired ${short(shown.desiredCommit)}`
              : ''}
            {shown.waiting ? ` — ${shown.waiting.message}` : ''}
          </p>
          <p className="muted">
            Drift corrections: {shown.driftCorrectionsLastHour} in the last hour, {shown.driftCorrections} in
            all
          </p>
          {shown.failing.length === 0 ? (
            <p data-testid="matrix-detail-none">No failing objects.</p>
          ) : (
            <ul data-testid="matrix-detail-failing">
              {shown.failing.map((f) => (
                <li key={f.id}>
                  <code>{f.id}</code> {f.reason}: {f.message}
                </li>
              ))}
              {shown.failingCount > shown.failing.length && (
                <li className="muted">and {shown.failingCount - shown.failing.length} more</li>
              )}
            </ul>
          )}
          <button type="button" onClick={() => setOpen(null)}>
            Close
          </button>
        </aside>
      )}
      {!result.data && !result.error && <p className="muted">Loading the matrix…</p>}
    </section>
  );
}

function short(commit: string | null | undefined): string {
  return commit ? commit.slice(0, 12) : 'nothing';
}

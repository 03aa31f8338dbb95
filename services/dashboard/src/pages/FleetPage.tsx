import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  DashboardClusterChangedDocument,
  type DashboardClusterChangedSubscription,
  DashboardClustersDocument,
  type DashboardClustersQuery,
  type ClusterStatus,
} from '@fleetwave/api-client';
import { CLUSTER_STATUSES } from '../api/model';
import { ErrorBanner } from '../components/ErrorBanner';
import { LabelChips } from '../components/LabelChips';
import { Pager } from '../components/Pager';
import { ClusterStatusBadge } from '../components/StatusBadge';
import { formatAge, formatTime } from '../lib/format';
import { useNow } from '../lib/use-now';
import { useQuery } from '../lib/use-query';
import { useSubscription } from '../lib/use-subscription';
import { navigate } from '../router/router';

const PAGE_SIZE = 25;
/** Typing pauses this long before the selector is sent (Enter sends at once). */
const TYPING_DELAY_MS = 400;
/** Changes to clusters not on this page re-read the page, at most this often. */
const REFRESH_DELAY_MS = 300;

interface FleetView {
  selector: string;
  status: ClusterStatus | '';
  cursors: (string | null)[];
}

function statusParam(value: string | null): ClusterStatus | '' {
  return CLUSTER_STATUSES.find((s) => s === value) ?? '';
}

export function FleetPage() {
  const initial = useMemo(() => new URLSearchParams(window.location.search), []);
  const [selectorInput, setSelectorInput] = useState(initial.get('selector') ?? '');
  // `cursors`: the cursor each page starts after; the last one is the page shown. Filters reset it.
  const [view, setView] = useState<FleetView>(() => ({
    selector: (initial.get('selector') ?? '').trim(),
    status: statusParam(initial.get('status')),
    cursors: [null],
  }));
  const { selector, status, cursors } = view;
  const now = useNow();

  const applySelector = useCallback((value: string) => {
    const next = value.trim();
    setView((v) => (v.selector === next ? v : { ...v, selector: next, cursors: [null] }));
  }, []);

  useEffect(() => {
    const timer = window.setTimeout(() => applySelector(selectorInput), TYPING_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [selectorInput, applySelector]);

  // The filters live in the URL, so a filtered view can be shared and survives a reload.
  useEffect(() => {
    const params = new URLSearchParams();
    if (selector) params.set('selector', selector);
    if (status) params.set('status', status);
    const query = params.toString();
    const target = `${window.location.pathname}${query ? `?${query}` : ''}`;
    if (target !== `${window.location.pathname}${window.location.search}`)
      navigate(target, { replace: true });
  }, [selector, status]);

  const variables = {
    selector: selector === '' ? null : selector,
    status: status === '' ? null : status,
    first: PAGE_SIZE,
    after: cursors.at(-1) ?? null,
  };
  const result = useQuery(DashboardClustersDocument, variables, { refetchOnReconnect: true });
  const { data, update, reload } = result;

  // Subscribe with a selector the API has accepted (a bad one is reported once, by the query).
  const [liveSelector, setLiveSelector] = useState<string | null | undefined>(undefined);
  const accepted =
    result.dataVariables === JSON.stringify(variables) && result.error === undefined
      ? variables.selector
      : undefined;
  useEffect(() => {
    if (accepted !== undefined) setLiveSelector(accepted);
  }, [accepted]);

  const current = useRef<DashboardClustersQuery | undefined>(undefined);
  useEffect(() => {
    current.current = data;
  }, [data]);
  const refresh = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(refresh.current), []);

  const onChange = useCallback(
    ({ clusterChanged: change }: DashboardClusterChangedSubscription) => {
      const shown = current.current?.clusters.edges.some((edge) => edge.node.id === change.cluster.id);
      const stays = change.action !== 'cluster.deregistered' && (!status || change.cluster.status === status);
      if (shown && stays) {
        update(
          (page) =>
            page && {
              clusters: {
                ...page.clusters,
                edges: page.clusters.edges.map((edge) =>
                  edge.node.id === change.cluster.id ? { node: change.cluster } : edge,
                ),
              },
            },
        );
        return;
      }
      // A cluster joins or leaves this page: read the page again (once for a burst of changes).
      window.clearTimeout(refresh.current);
      refresh.current = window.setTimeout(reload, REFRESH_DELAY_MS);
    },
    [status, update, reload],
  );
  const liveError = useSubscription(
    DashboardClusterChangedDocument,
    { selector: liveSelector ?? null },
    onChange,
    liveSelector !== undefined,
  );

  const clusters = data?.clusters;
  return (
    <section className="page">
      <div className="page-header">
        <h1>Fleet</h1>
        {clusters && !result.error && (
          <span className="muted" data-testid="fleet-count">
            {clusters.totalCount} {clusters.totalCount === 1 ? 'cluster' : 'clusters'}
          </span>
        )}
      </div>
      <form
        className="filters"
        onSubmit={(event) => {
          event.preventDefault();
          applySelector(selectorInput);
        }}
      >
        <label className="field grow">
          <span>Label selector</span>
          <input
            type="search"
            value={selectorInput}
            onChange={(event) => setSelectorInput(event.target.value)}
            placeholder="env=prod,region in (eu-west-1,eu-central-1),!canary"
            spellCheck={false}
            data-testid="fleet-selector"
          />
        </label>
        <label className="field">
          <span>Status</span>
          <select
            value={status}
            onChange={(event) => {
              const next = statusParam(event.target.value);
              setView((v) => ({ ...v, status: next, cursors: [null] }));
            }}
            data-testid="fleet-status"
          >
            <option value="">Any</option>
            {CLUSTER_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      </form>
      <ErrorBanner message={result.error} title="Cannot list clusters:" testId="fleet-error" />
      <ErrorBanner message={liveError} title="Live updates:" testId="fleet-live-error" />
      {clusters && !result.error && (
        <>
          <div className={result.loading ? 'table-wrap loading' : 'table-wrap'}>
            <table className="table" data-testid="fleet-table">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Labels</th>
                  <th>Status</th>
                  <th>Cordoned</th>
                  <th>Agent</th>
                  <th>Last heartbeat</th>
                </tr>
              </thead>
              <tbody>
                {clusters.edges.map(({ node }) => (
                  <tr key={node.id} data-testid={`cluster-row-${node.name}`} data-status={node.status}>
                    <td className="name">{node.name}</td>
                    <td>
                      <LabelChips labels={node.labels} />
                    </td>
                    <td>
                      <ClusterStatusBadge status={node.status} testId={`cluster-status-${node.name}`} />
                    </td>
                    <td>{node.cordoned ? <span className="badge tone-warn">cordoned</span> : '—'}</td>
                    <td>{node.agentVersion ?? <span className="muted">—</span>}</td>
                    <td title={formatTime(node.lastHeartbeatAt)}>{formatAge(node.lastHeartbeatAt, now)}</td>
                  </tr>
                ))}
                {clusters.edges.length === 0 && (
                  <tr>
                    <td colSpan={6} className="empty" data-testid="fleet-empty">
                      No clusters match.
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
          <Pager
            page={cursors.length - 1}
            hasNext={clusters.pageInfo.hasNextPage}
            disabled={result.loading}
            onPrevious={() =>
              setView((v) => (v.cursors.length > 1 ? { ...v, cursors: v.cursors.slice(0, -1) } : v))
            }
            onNext={() => setView((v) => ({ ...v, cursors: [...v.cursors, clusters.pageInfo.endCursor] }))}
          />
        </>
      )}
      {!clusters && !result.error && <p className="muted">Loading clusters…</p>}
    </section>
  );
}

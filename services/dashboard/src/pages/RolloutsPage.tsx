import { DashboardRolloutsDocument } from '@fleetwave/api-client';
import { useState } from 'react';
import { ACTIVE_STATES } from '../api/model';
import { ErrorBanner } from '../components/ErrorBanner';
import { Pager } from '../components/Pager';
import { RolloutsTable } from '../components/RolloutsTable';
import { useQuery } from '../lib/use-query';

const PAGE_SIZE = 25;

export function RolloutsPage() {
  const [activeOnly, setActiveOnly] = useState(false);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const result = useQuery(DashboardRolloutsDocument, {
    state: activeOnly ? [...ACTIVE_STATES] : null,
    first: PAGE_SIZE,
    after: cursors.at(-1) ?? null,
  });
  const rollouts = result.data?.rollouts;
  return (
    <section className="page">
      <div className="page-header">
        <h1>Rollouts</h1>
        <label className="toggle">
          <input
            type="checkbox"
            checked={activeOnly}
            onChange={(event) => {
              setActiveOnly(event.target.checked);
              setCursors([null]);
            }}
          />
          Only those still moving
        </label>
      </div>
      <ErrorBanner message={result.error} title="Cannot list rollouts:" />
      {!rollouts && !result.error && <p className="muted">Loading rollouts…</p>}
      {rollouts && (
        <>
          <RolloutsTable rollouts={rollouts.edges.map((edge) => edge.node)} showApplication />
          <Pager
            page={cursors.length - 1}
            hasNext={rollouts.pageInfo.hasNextPage}
            disabled={result.loading}
            onPrevious={() => setCursors((list) => (list.length > 1 ? list.slice(0, -1) : list))}
            onNext={() => setCursors((list) => [...list, rollouts.pageInfo.endCursor])}
          />
        </>
      )}
    </section>
  );
}

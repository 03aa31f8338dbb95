import { DashboardApplicationsDocument } from '@fleetwave/api-client';
import { ErrorBanner } from '../components/ErrorBanner';
import { shortSha, formatAge, formatTime } from '../lib/format';
import { useNow } from '../lib/use-now';
import { useQuery } from '../lib/use-query';
import { Link, paths } from '../router/router';

export function ApplicationsPage() {
  const now = useNow(30_000);
  const result = useQuery(DashboardApplicationsDocument, { first: 200 });
  const applications = result.data?.applications;
  return (
    <section className="page">
      <div className="page-header">
        <h1>Applications</h1>
        {applications && <span className="muted">{applications.totalCount} in all</span>}
      </div>
      <ErrorBanner message={result.error} title="Cannot list applications:" testId="applications-error" />
      {!applications && !result.error && <p className="muted">Loading applications…</p>}
      {applications && (
        <div className="table-wrap">
          <table className="table" data-testid="applications-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Source</th>
                <th>Sync</th>
                <th>Latest commit</th>
                <th>Last sync</th>
              </tr>
            </thead>
            <tbody>
              {applications.edges.map(({ node }) => (
                <tr key={node.name} data-testid={`application-row-${node.name}`}>
                  <td className="name">
                    <Link to={paths.application(node.name)}>{node.name}</Link>
                  </td>
                  <td>
                    <code className="wrap">{node.repoUrl}</code>
                    <div className="muted small">
                      {node.ref}
                      {node.path ? ` · ${node.path}` : ''}
                    </div>
                  </td>
                  <td>{node.syncPolicy}</td>
                  <td>
                    <code>{shortSha(node.latestCommit)}</code>
                  </td>
                  <td title={formatTime(node.lastSyncedAt)}>
                    {formatAge(node.lastSyncedAt, now)}
                    {node.lastSyncError && (
                      <div className="text-bad small" title={node.lastSyncError}>
                        sync failed
                      </div>
                    )}
                  </td>
                </tr>
              ))}
              {applications.edges.length === 0 && (
                <tr>
                  <td colSpan={5} className="empty">
                    No applications yet (create one with fleetctl or the GraphQL API).
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

import { DashboardNotificationsDocument, type DashboardNotificationsQuery } from '@fleetwave/api-client';
import { ErrorBanner } from '../components/ErrorBanner';
import { deliveryCounts, deliveryStatus, nextRetry } from '../lib/deliveries';
import { formatAge, formatTime } from '../lib/format';
import { useNow } from '../lib/use-now';
import { useInterval } from '../lib/use-interval';
import { useQuery } from '../lib/use-query';

/** Deliveries shown per subscription (the hub's log is newest first). */
const DELIVERIES = 20;
/** The worker retries in the background: read the log again this often. */
const REFRESH_MS = 15_000;

type Subscription = DashboardNotificationsQuery['notificationSubscriptions'][number];

const STATUS_TONE: Record<string, string> = { delivered: 'good', pending: 'warn', failed: 'bad' };

/**
 * Notification subscriptions and each one's delivery log. The hub never returns a secret or a
 * receiver URL's path (a Slack webhook's path is its credential), so none can be shown here; admins
 * subscribe with fleetctl or the API (docs/notifications.md).
 */
export function NotificationsPage() {
  const result = useQuery(
    DashboardNotificationsDocument,
    { first: DELIVERIES },
    { refetchOnReconnect: true },
  );
  const { reload } = result;
  useInterval(reload, REFRESH_MS);
  const subscriptions = result.data?.notificationSubscriptions;
  return (
    <section className="page" data-testid="notifications-page">
      <div className="page-header">
        <h1>Notifications</h1>
        <button type="button" className="button subtle" onClick={reload} disabled={result.loading}>
          Refresh
        </button>
      </div>
      <p className="muted small">
        Admins subscribe receivers with <code>fleetctl notifications subscriptions create</code>. Secrets and
        receiver URL paths are write-only: only the receiver’s origin is shown.
      </p>
      <ErrorBanner message={result.error} title="Cannot list notification subscriptions:" />
      {!subscriptions && !result.error && <p className="muted">Loading subscriptions…</p>}
      {subscriptions?.length === 0 && (
        <p className="muted" data-testid="notifications-none">
          No subscriptions: nobody is told about approvals, failures or offline clusters.
        </p>
      )}
      {subscriptions?.map((s) => (
        <SubscriptionCard key={s.id} subscription={s} />
      ))}
    </section>
  );
}

function SubscriptionCard(props: { subscription: Subscription }) {
  const s = props.subscription;
  const now = useNow();
  const counts = deliveryCounts(s.deliveries);
  return (
    <div className="card" data-testid={`subscription-${s.id}`}>
      <h2>
        {s.application ?? (s.project === null ? 'Every application' : `Project ${s.project}`)} →{' '}
        <code data-testid="subscription-target">{s.targetOrigin}</code>
      </h2>
      <dl className="facts">
        <dt>Kinds</dt>
        <dd>{s.kinds.join(', ')}</dd>
        <dt>Format</dt>
        <dd>
          {s.format}
          {s.signed ? ', signed (X-Fleetwave-Signature)' : ', unsigned'}
        </dd>
        <dt>Created</dt>
        <dd title={formatTime(s.createdAt)}>
          {formatAge(s.createdAt, now)} by {s.createdBy}
        </dd>
        <dt>Recent</dt>
        <dd data-testid="subscription-counts">
          {counts.delivered} delivered, {counts.pending} pending, {counts.failed} failed
        </dd>
        <dt>ID</dt>
        <dd>
          <code className="small">{s.id}</code>
        </dd>
      </dl>
      {s.deliveries.length === 0 ? (
        <p className="muted">Nothing sent yet: a subscription hears events from its creation on.</p>
      ) : (
        <table className="table compact" data-testid="deliveries">
          <thead>
            <tr>
              <th>Event</th>
              <th>Kind</th>
              <th>Status</th>
              <th>Attempts</th>
              <th>Last error</th>
              <th>Next retry</th>
              <th>Recorded</th>
            </tr>
          </thead>
          <tbody>
            {s.deliveries.map((d) => {
              const retry = nextRetry(d);
              return (
                <tr key={d.id} data-testid={`delivery-${d.eventId}`}>
                  <td>
                    <code>{d.eventId}</code>
                  </td>
                  <td>{d.kind}</td>
                  <td>
                    <span className={`badge tone-${STATUS_TONE[d.status] ?? 'neutral'}`}>
                      {deliveryStatus(d)}
                    </span>
                  </td>
                  <td>{d.attempts}</td>
                  <td className="muted">{d.lastError ?? '—'}</td>
                  <td title={retry ? formatTime(retry) : undefined}>{retry ? formatTime(retry) : '—'}</td>
                  <td title={formatTime(d.createdAt)}>{formatAge(d.createdAt, now)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}

import {
  DashboardApplicationDocument,
  DashboardStartRolloutDocument,
  DashboardSyncApplicationDocument,
} from '@fleetwave/api-client';
import { useState } from 'react';
import { errorMessage } from '../api/graphql';
import { ACTIVE_STATES } from '../api/model';
import { canOperate } from '../auth/verify-token';
import { useSession } from '../auth/session';
import { Commit } from '../components/Commit';
import { ErrorBanner } from '../components/ErrorBanner';
import { PlanView } from '../components/PlanView';
import { RolloutsTable } from '../components/RolloutsTable';
import { WindowsView } from '../components/WindowsView';
import { formatDuration, formatTime, shortSha } from '../lib/format';
import { chartText, sourceKind } from '../lib/source';
import { useQuery } from '../lib/use-query';
import { navigate, paths } from '../router/router';

export function ApplicationPage(props: { name: string }) {
  const session = useSession();
  const result = useQuery(DashboardApplicationDocument, { name: props.name });
  const [busy, setBusy] = useState<'sync' | 'start' | undefined>();
  const [actionError, setActionError] = useState<string>();
  const [syncNote, setSyncNote] = useState<string>();

  if (result.error) return <ErrorBanner message={result.error} title="Cannot load the application:" />;
  if (!result.data) return <p className="muted">Loading…</p>;
  const app = result.data.application;
  if (!app) {
    return (
      <section className="card" data-testid="application-missing">
        <h1>No application “{props.name}”</h1>
        <p className="muted">It may have been deleted.</p>
      </section>
    );
  }
  const rollouts = app.rollouts.edges.map((edge) => edge.node);
  const active = rollouts.find((r) => ACTIVE_STATES.includes(r.state));
  const kind = sourceKind(app.renderer, app.latestRevision);

  const sync = async () => {
    setBusy('sync');
    setActionError(undefined);
    setSyncNote(undefined);
    try {
      const { syncApplication: outcome } = await session.request(DashboardSyncApplicationDocument, {
        name: app.name,
      });
      setSyncNote(
        outcome.error
          ? `Sync failed: ${outcome.error}`
          : `Fetched ${shortSha(outcome.commit)}${outcome.rolloutId ? '; its rollout started.' : '.'}`,
      );
      result.reload();
    } catch (error) {
      setActionError(errorMessage(error));
    } finally {
      setBusy(undefined);
    }
  };

  const start = async () => {
    const question = active
      ? `Start a rollout of ${shortSha(app.latestCommit)}? The running rollout (${active.state}) will be superseded.`
      : `Start a rollout of ${shortSha(app.latestCommit)} to the clusters ${app.name} targets?`;
    if (!window.confirm(question)) return;
    setBusy('start');
    setActionError(undefined);
    try {
      const { startRollout } = await session.request(DashboardStartRolloutDocument, {
        application: app.name,
      });
      navigate(paths.rollout(startRollout.id));
    } catch (error) {
      setActionError(errorMessage(error));
      setBusy(undefined);
    }
  };

  return (
    <section className="page" data-testid="application-page">
      <div className="page-header">
        <h1>{app.name}</h1>
        <span className="badge tone-neutral" title="auto: a new commit starts its rollout">
          sync {app.syncPolicy}
        </span>
        {canOperate(session.role) && (
          <div className="actions">
            <button
              type="button"
              className="button"
              onClick={sync}
              disabled={busy !== undefined}
              data-testid="sync-now"
            >
              {busy === 'sync' ? 'Syncing…' : 'Sync now'}
            </button>
            <button
              type="button"
              className="button primary"
              onClick={start}
              disabled={busy !== undefined || app.latestCommit === null}
              title={app.latestCommit === null ? 'Nothing fetched yet: sync first' : undefined}
              data-testid="start-rollout"
            >
              {busy === 'start' ? 'Starting…' : 'Start rollout'}
            </button>
          </div>
        )}
      </div>
      <ErrorBanner message={actionError} testId="application-action-error" />
      {syncNote && (
        <div className="banner banner-info" data-testid="sync-result">
          {syncNote}
        </div>
      )}

      <div className="grid-2">
        <div className="card">
          <h2>Source</h2>
          <dl className="facts">
            <dt>Renderer</dt>
            <dd>
              <span className="badge tone-neutral" title={kind.hint} data-testid="application-renderer">
                {kind.label}
              </span>
            </dd>
            {app.chart && (
              <>
                <dt>Chart</dt>
                <dd>
                  <code className="wrap" data-testid="application-chart">
                    {chartText(app.chart)}
                  </code>
                </dd>
              </>
            )}
            <dt>Repository</dt>
            <dd>
              <code className="wrap" data-testid="application-repo">
                {app.repoUrl}
              </code>
            </dd>
            <dt>Ref</dt>
            <dd>
              <code>{app.ref}</code>
            </dd>
            <dt>Path</dt>
            <dd>
              <code>{app.path || '(repository root)'}</code>
            </dd>
            <dt>Targets</dt>
            <dd>
              <code data-testid="application-target">{app.targetSelector || '(every cluster)'}</code>
            </dd>
            <dt>Credentials</dt>
            <dd>{app.credentialsRef ?? <span className="muted">none</span>}</dd>
            <dt>Polling</dt>
            <dd>every {formatDuration(app.pollIntervalSeconds * 1000)}</dd>
            <dt>Namespace</dt>
            <dd>{app.defaultNamespace ?? <span className="muted">as in the templates</span>}</dd>
            <dt>Prune</dt>
            <dd>{app.prune ? 'yes' : 'no'}</dd>
          </dl>
        </div>
        <div className="card">
          <h2>Latest revision</h2>
          {app.latestRevision ? (
            <>
              <p data-testid="latest-revision">
                <Commit
                  commit={app.latestRevision.commit}
                  author={app.latestRevision.author}
                  message={app.latestRevision.message}
                />
              </p>
              <p className="muted small">committed {formatTime(app.latestRevision.committedAt)}</p>
              {app.latestRevision.message.includes('\n') && (
                <pre className="message">{app.latestRevision.message}</pre>
              )}
              <dl className="facts">
                <dt>Git commit</dt>
                <dd>
                  <code title={app.latestRevision.gitCommit} data-testid="revision-git-commit">
                    {shortSha(app.latestRevision.gitCommit)}
                  </code>
                </dd>
                {app.latestRevision.signature && (
                  <>
                    <dt>Signature</dt>
                    <dd data-testid="revision-signature">
                      {app.latestRevision.signature.status}
                      {app.latestRevision.signature.keyId && (
                        <>
                          {' '}
                          <code>{app.latestRevision.signature.keyId}</code>
                        </>
                      )}
                      {app.latestRevision.signature.signer && ` (${app.latestRevision.signature.signer})`}
                    </dd>
                  </>
                )}
                {app.latestRevision.chart && (
                  <>
                    <dt>Chart</dt>
                    <dd>
                      <code title={app.latestRevision.chart.digest} data-testid="revision-chart">
                        {chartText(app.latestRevision.chart)}
                      </code>
                    </dd>
                  </>
                )}
              </dl>
              <ErrorBanner
                message={app.latestRevision.error ?? undefined}
                title="Cannot be rolled out:"
                testId="revision-error"
              />
              <ErrorBanner
                message={app.latestRevision.renderError ?? undefined}
                title="Its last render failed (nothing rolls out while it does):"
                testId="revision-render-error"
              />
            </>
          ) : (
            <p className="muted">Nothing fetched yet.</p>
          )}
          <h3>Last sync</h3>
          <p>{formatTime(app.lastSyncedAt)}</p>
          <ErrorBanner message={app.lastSyncError ?? undefined} title="Failed:" testId="last-sync-error" />
        </div>
      </div>

      <div className="card">
        <h2>Wave plan</h2>
        <PlanView plan={app.plan} />
        <h3>Time windows</h3>
        <WindowsView plan={app.plan} />
      </div>

      <div className="card">
        <h2>Rollouts</h2>
        <RolloutsTable rollouts={rollouts} />
      </div>
    </section>
  );
}

import { type Rollout } from '../../api/model';
import { useSession } from '../../auth/session';
import { canOperate } from '../../auth/verify-token';
import { BlockingDetail } from '../../components/BlockingDetail';
import { Commit } from '../../components/Commit';
import { ErrorBanner } from '../../components/ErrorBanner';
import { RolloutStateBadge } from '../../components/StatusBadge';
import { etaLabel, formatAge, formatTime, shortSha } from '../../lib/format';
import { useNow } from '../../lib/use-now';
import { Link, paths } from '../../router/router';
import { RolloutActions } from './RolloutActions';
import { useLiveRollout } from './use-live-rollout';
import { VerificationRuns } from './VerificationRuns';
import { PhaseLegend, WaveBoard } from './WaveBoard';

/** Page titles by kind: an exhaustive record, so a new kind is a compile error here, not a wrong title. */
const KIND_TITLES: Record<Rollout['kind'], string> = {
  rollout: 'Rollout',
  rollback: 'Rollback',
  catchup: 'Catch-up',
  reconfigure: 'Reconfigure',
};

export function RolloutPage(props: { id: string }) {
  const session = useSession();
  const live = useLiveRollout(props.id);
  const { rollout } = live;

  if (live.error && rollout === undefined) {
    return <ErrorBanner message={live.error} title="Cannot load the rollout:" testId="rollout-error" />;
  }
  if (rollout === undefined) return <p className="muted">Loading…</p>;
  if (rollout === null) {
    return (
      <section className="card" data-testid="rollout-missing">
        <h1>No such rollout</h1>
        <p className="muted">
          It may have been deleted with its application. See the <Link to={paths.rollouts()}>rollouts</Link>.
        </p>
      </section>
    );
  }
  return (
    <section className="page" data-testid="rollout-page" data-rollout-id={rollout.id}>
      <div className="page-header">
        <h1>
          {KIND_TITLES[rollout.kind]} of{' '}
          <Link to={paths.application(rollout.applicationName)}>{rollout.applicationName}</Link>
        </h1>
        <RolloutStateBadge state={rollout.state} paused={rollout.paused} testId="rollout-state" />
        <span className="muted small" data-testid="live-updates" data-count={live.liveUpdates}>
          {live.liveUpdates === 1 ? '1 live update' : `${live.liveUpdates} live updates`}
        </span>
      </div>
      <ErrorBanner message={live.liveError} title="Live updates:" testId="rollout-live-error" />
      <ErrorBanner message={live.error} title="Could not refresh:" />
      <Summary rollout={rollout} />
      {canOperate(session.role) ? (
        <RolloutActions rollout={rollout} mutate={live.mutate} />
      ) : (
        <p className="muted small" data-testid="read-only">
          Read-only: your token has the {session.role} role; steering a rollout needs operator.
        </p>
      )}
      <PhaseLegend />
      <WaveBoard rollout={rollout} />
      <VerificationRuns runs={rollout.verificationRuns} />
    </section>
  );
}

function Summary(props: { rollout: Rollout }) {
  const { rollout } = props;
  const now = useNow();
  return (
    <div className="card summary">
      <dl className="facts">
        <dt>Commit</dt>
        <dd>
          <Commit
            commit={rollout.commit}
            author={rollout.revision?.author}
            message={rollout.revision?.message}
            testId="rollout-commit"
          />
        </dd>
        <dt>{rollout.blocking ? 'Waiting on' : 'Status'}</dt>
        <dd data-testid="rollout-blocking" data-kind={rollout.blocking?.kind ?? ''}>
          {rollout.blocking?.message ??
            (rollout.finishedAt ? `finished ${formatAge(rollout.finishedAt, now)}` : 'moving')}
          <BlockingDetail blocking={rollout.blocking} testId="rollout-blocking-detail" />
        </dd>
        {etaLabel(rollout.eta, now) !== null && (
          <>
            <dt>Expected done</dt>
            <dd data-testid="rollout-eta" data-basis={rollout.eta.basis} title={formatTime(rollout.eta.at)}>
              {etaLabel(rollout.eta, now)}
            </dd>
          </>
        )}
        {rollout.message && (
          <>
            <dt>Reason</dt>
            <dd data-testid="rollout-message">{rollout.message}</dd>
          </>
        )}
        <dt>Started</dt>
        <dd title={formatTime(rollout.createdAt)}>
          {formatAge(rollout.createdAt, now)} by {rollout.createdBy}
        </dd>
        {rollout.rollbackOf && (
          <>
            <dt>Rolls back</dt>
            <dd>
              <Link to={paths.rollout(rollout.rollbackOf)}>rollout {shortSha(rollout.rollbackOf)}</Link>
            </dd>
          </>
        )}
        {rollout.rolledBackBy && (
          <>
            <dt>Rolled back by</dt>
            <dd>
              <Link to={paths.rollout(rollout.rolledBackBy)}>rollback {shortSha(rollout.rolledBackBy)}</Link>
            </dd>
          </>
        )}
      </dl>
    </div>
  );
}

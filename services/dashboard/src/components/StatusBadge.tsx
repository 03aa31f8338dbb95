import { type ClusterStatus, type RolloutState } from '@fleetwave/api-client';

const CLUSTER_TONE: Record<ClusterStatus, string> = {
  Ready: 'good',
  Pending: 'neutral',
  NotReady: 'bad',
  Unknown: 'warn',
  Offline: 'bad',
};

const ROLLOUT_TONE: Record<RolloutState, string> = {
  Pending: 'neutral',
  Progressing: 'info',
  Soaking: 'info',
  AwaitingApproval: 'warn',
  Paused: 'warn',
  Succeeded: 'good',
  Failed: 'bad',
  Aborted: 'bad',
  RolledBack: 'bad',
  Superseded: 'neutral',
};

export function ClusterStatusBadge(props: { status: ClusterStatus; testId?: string }) {
  return (
    <span className={`badge tone-${CLUSTER_TONE[props.status]}`} data-testid={props.testId}>
      {props.status}
    </span>
  );
}

export function RolloutStateBadge(props: { state: RolloutState; paused?: boolean; testId?: string }) {
  return (
    <span
      className={`badge tone-${ROLLOUT_TONE[props.state]}`}
      data-testid={props.testId}
      data-state={props.state}
    >
      {props.state === 'AwaitingApproval' ? 'Awaiting approval' : props.state}
      {props.paused && props.state !== 'Paused' ? ' (paused)' : ''}
    </span>
  );
}

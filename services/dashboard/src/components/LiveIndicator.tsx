import { useLive } from '../auth/session';

const LABEL = {
  idle: 'Live updates idle',
  connecting: 'Connecting…',
  live: 'Live',
  offline: 'Offline, retrying',
};

/** The WebSocket's state: updates only flow while it says Live. */
export function LiveIndicator() {
  const { status } = useLive();
  return (
    <span className={`live live-${status}`} data-testid="live-status" data-status={status}>
      <span className="live-dot" aria-hidden="true" />
      {LABEL[status]}
    </span>
  );
}

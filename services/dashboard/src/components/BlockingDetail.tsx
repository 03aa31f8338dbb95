import { type Blocking, blockingDetail } from '../lib/blocking';
import { formatTime } from '../lib/format';
import { useNow } from '../lib/use-now';

/**
 * The numbers behind a window, freeze or budget hold (next opening, who froze and until when,
 * changing/allowed), under the hub's message; nothing for the other kinds.
 */
export function BlockingDetail(props: { blocking: Blocking | null | undefined; testId: string }) {
  const now = useNow();
  if (!props.blocking) return null;
  const detail = blockingDetail(props.blocking, now);
  if (detail === undefined) return null;
  return (
    <div
      className="blocking-detail small"
      data-testid={props.testId}
      data-kind={props.blocking.kind}
      title={props.blocking.opensAt ? formatTime(props.blocking.opensAt) : undefined}
    >
      {detail}
    </div>
  );
}

import {
  DashboardRolloutChangedDocument,
  type DashboardRolloutChangedSubscription,
  DashboardRolloutDocument,
} from '@fleetwave/api-client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../api/graphql';
import { type Rollout } from '../../api/model';
import { useLive, useSession } from '../../auth/session';
import { useSubscription } from '../../lib/use-subscription';

export interface LiveRollout {
  /** undefined while loading; null when there is no such rollout. */
  rollout: Rollout | null | undefined;
  error: string | undefined;
  liveError: string | undefined;
  /** Updates received through the subscription so far. */
  liveUpdates: number;
  /** Runs a mutation that answers with the rollout, and shows that answer unless a newer one came. */
  mutate: (run: () => Promise<Rollout>) => Promise<void>;
}

/**
 * The rollout as `rolloutChanged` keeps it: read once (and again after each reconnection, since
 * subscriptions only carry what happens after they start), then replaced whole by every update.
 * Each state carries a sequence number, so a slower answer never overwrites a newer update. The
 * page is keyed by the id: another rollout starts afresh.
 */
export function useLiveRollout(id: string): LiveRollout {
  const session = useSession();
  const { connections } = useLive();
  const [rollout, setRollout] = useState<Rollout | null | undefined>(undefined);
  const [error, setError] = useState<string>();
  const [liveUpdates, setLiveUpdates] = useState(0);
  const sequence = useRef(0);

  useEffect(() => {
    const controller = new AbortController();
    const asOf = sequence.current;
    session.request(DashboardRolloutDocument, { id }, controller.signal).then(
      (data) => {
        if (controller.signal.aborted || sequence.current !== asOf) return;
        sequence.current += 1;
        setRollout(data.rollout);
        setError(undefined);
      },
      (failure: unknown) => {
        if (!controller.signal.aborted) setError(errorMessage(failure));
      },
    );
    return () => controller.abort();
  }, [session, id, connections]);

  const onUpdate = useCallback((data: DashboardRolloutChangedSubscription) => {
    sequence.current += 1;
    setRollout(data.rolloutChanged);
    setLiveUpdates((n) => n + 1);
  }, []);
  const liveError = useSubscription(
    DashboardRolloutChangedDocument,
    { id },
    onUpdate,
    rollout !== null && error === undefined,
  );

  const mutate = useCallback(async (run: () => Promise<Rollout>) => {
    const asOf = sequence.current;
    const answer = await run();
    if (sequence.current !== asOf) return;
    sequence.current += 1;
    setRollout(answer);
  }, []);

  return { rollout, error, liveError, liveUpdates, mutate };
}

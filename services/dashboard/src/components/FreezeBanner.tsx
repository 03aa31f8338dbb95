import { DashboardFleetDocument, DashboardUnfreezeFleetDocument } from '@fleetwave/api-client';
import { useState } from 'react';
import { errorMessage } from '../api/graphql';
import { useSession } from '../auth/session';
import { freezeHolds, freezeText } from '../lib/fleet-freeze';
import { useNow } from '../lib/use-now';
import { useInterval } from '../lib/use-interval';
import { useQuery } from '../lib/use-query';

/** A freeze is set and lifted by people elsewhere (fleetctl, another tab): read it this often. */
const REFRESH_MS = 15_000;

/** On every page while the fleet is frozen: who, why, until when; admins can lift it here. */
export function FreezeBanner() {
  const session = useSession();
  const now = useNow();
  const fleet = useQuery(DashboardFleetDocument, {}, { refetchOnReconnect: true });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const { reload, update } = fleet;

  useInterval(reload, REFRESH_MS);

  const freeze = fleet.data?.fleet.freeze;
  if (!freezeHolds(freeze, now)) return null;

  const unfreeze = async () => {
    if (!window.confirm('Lift the fleet freeze? Held rollouts and catch-ups move on at once.')) return;
    setBusy(true);
    setError(undefined);
    try {
      const { unfreezeFleet } = await session.request(DashboardUnfreezeFleetDocument, {});
      update(() => ({ fleet: unfreezeFleet }));
    } catch (failure) {
      // Someone else lifted it first (FAILED_PRECONDITION): show what the hub says, read it again.
      setError(errorMessage(failure));
      reload();
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="banner banner-warn freeze-banner" role="status" data-testid="freeze-banner">
      <span data-testid="freeze-text">{freezeText(freeze, now)}</span>
      {session.role === 'admin' && (
        <button
          type="button"
          className="button"
          onClick={() => void unfreeze()}
          disabled={busy}
          data-testid="unfreeze"
        >
          {busy ? 'Unfreezing…' : 'Unfreeze'}
        </button>
      )}
      {error && (
        <span className="freeze-error" role="alert" data-testid="unfreeze-error">
          {error}
        </span>
      )}
    </div>
  );
}

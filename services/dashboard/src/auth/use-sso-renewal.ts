import { useEffect, useRef } from 'react';
import {
  nextRenewalStep,
  type RenewalStep,
  type RenewalTiming,
  stepAfterFailedRenewal,
} from './renewal-timing';
import { RenewalError, renewSession, type SsoSession } from './sso';

export interface RenewalHandlers {
  /** A fresh ID token (and perhaps refresh token): the session goes on with it. */
  onRenewed(session: SsoSession): void;
  /** The session is over: back to the sign-in screen with this message. */
  onEnded(message: string): void;
}

/**
 * Keeps an SSO session's ID token fresh: renews it with the refresh token before it expires (when,
 * by renewal-timing.ts), and ends the session with a message when it cannot be renewed, so calls
 * never fail for an expired token. `now` is the clock (injectable).
 */
export function useSsoRenewal(
  session: SsoSession | undefined,
  handlers: RenewalHandlers,
  now: () => number = Date.now,
): void {
  // The latest handlers, without restarting the timer when the caller makes new ones.
  const latest = useRef(handlers);
  latest.current = handlers;

  useEffect(() => {
    if (!session) return;
    const timing: RenewalTiming = {
      issuedAt: session.issuedAt,
      expiresAt: session.expiresAt,
      canRefresh: session.refreshToken !== undefined,
    };
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const act = (step: RenewalStep, ended: string) => {
      if (cancelled) return;
      if (step.kind === 'wait')
        timer = setTimeout(() => act(nextRenewalStep(timing, now()), EXPIRED), step.ms);
      else if (step.kind === 'expired') latest.current.onEnded(ended);
      else {
        renewSession(session).then(
          (renewed) => {
            if (!cancelled) latest.current.onRenewed(renewed);
          },
          (error: unknown) => {
            const refused = error instanceof RenewalError && error.refused;
            const reason = error instanceof Error ? error.message : String(error);
            act(
              stepAfterFailedRenewal(timing, now(), { refused }),
              `Your single sign-on session could not be renewed (${reason}). Sign in again.`,
            );
          },
        );
      }
    };
    // The first look through a timer too: an effect undone at once (React's strict mode) then never
    // spends the refresh token, which the provider may rotate on use.
    act({ kind: 'wait', ms: 0 }, EXPIRED);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [session, now]);
}

const EXPIRED = 'Your single sign-on session has expired. Sign in again.';

import { useEffect, useState } from 'react';

/** The current time, refreshed every `intervalMs` (for ages such as "last heartbeat 12s ago"). */
export function useNow(intervalMs = 5_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}

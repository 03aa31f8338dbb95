import { useEffect } from 'react';

/** Calls `run` every `intervalMs` while the component is shown (pages that poll the hub). */
export function useInterval(run: () => void, intervalMs: number): void {
  useEffect(() => {
    const timer = window.setInterval(run, intervalMs);
    return () => window.clearInterval(timer);
  }, [run, intervalMs]);
}

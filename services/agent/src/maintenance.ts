import { MAINTENANCE_REASON_MAX_BYTES, type Maintenance, truncateUtf8 } from '@fleetwave/contracts';

/** On the agent's own namespace; its value is the reason. Present (even empty) = in maintenance. */
export const MAINTENANCE_ANNOTATION = 'fleetwave.io/maintenance';

/**
 * Turns what the agent reads on its namespace into the report's `maintenance` field. `since` is
 * when this process first saw the annotation: it lives in memory only, so after a restart it is
 * the restart's first sighting (nothing on the cluster records when someone annotated). A changed
 * reason keeps `since`: the cluster did not leave maintenance.
 */
export class MaintenanceTracker {
  private current: Maintenance | null = null;

  get state(): Maintenance | null {
    return this.current;
  }

  /** Returns true when the reported state changed. */
  observe(annotations: Readonly<Record<string, string>> | undefined, now: Date): boolean {
    const raw = annotations?.[MAINTENANCE_ANNOTATION];
    const before = this.current;
    if (raw === undefined) {
      this.current = null;
    } else {
      const reason = truncateUtf8(raw.trim(), MAINTENANCE_REASON_MAX_BYTES);
      this.current = { reason, since: before?.since ?? now.toISOString() };
    }
    // The reason is a string whenever present, so comparing it also tells entering from leaving.
    return before?.reason !== this.current?.reason;
  }
}

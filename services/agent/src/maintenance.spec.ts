import { describe, expect, it } from '@jest/globals';
import { MaintenanceSchema } from '@fleetwave/contracts';
import { MAINTENANCE_ANNOTATION, MaintenanceTracker } from './maintenance.js';

const t0 = new Date('2026-12-02T05:00:00.000Z');
const t1 = new Date('2026-12-02T05:00:30.000Z');
const annotated = (reason: string) => ({ [MAINTENANCE_ANNOTATION]: reason, other: 'x' });

describe('MaintenanceTracker', () => {
  it.each<
    [string, (Record<string, string> | undefined)[], ReturnType<MaintenanceTracker['observe']>[], unknown]
  >([
    ['never annotated', [undefined, {}], [false, false], null],
    [
      'annotated: since is the first sighting',
      [annotated('upgrade'), annotated('upgrade')],
      [true, false],
      {
        reason: 'upgrade',
        since: t0.toISOString(),
      },
    ],
    [
      'the reason edited: still in maintenance since the first sighting',
      [annotated('upgrade'), annotated('disk swap')],
      [true, true],
      {
        reason: 'disk swap',
        since: t0.toISOString(),
      },
    ],
    [
      'an empty value still means maintenance',
      [{ [MAINTENANCE_ANNOTATION]: '' }, { [MAINTENANCE_ANNOTATION]: ' ' }],
      [true, false],
      {
        reason: '',
        since: t0.toISOString(),
      },
    ],
    ['annotation removed', [annotated('upgrade'), {}], [true, true], null],
  ])('%s', (_case, readings, changes, final) => {
    const tracker = new MaintenanceTracker();
    expect(readings.map((r, i) => tracker.observe(r, i === 0 ? t0 : t1))).toEqual(changes);
    expect(tracker.state).toEqual(final);
  });

  it('starts a new since after the annotation was removed and put back', () => {
    const tracker = new MaintenanceTracker();
    tracker.observe(annotated('upgrade'), t0);
    tracker.observe({}, t0);
    tracker.observe(annotated('upgrade'), t1);
    expect(tracker.state).toEqual({ reason: 'upgrade', since: t1.toISOString() });
  });

  it('cuts a long reason so the report stays valid', () => {
    const tracker = new MaintenanceTracker();
    tracker.observe(annotated('ü'.repeat(1000)), t0);
    expect(MaintenanceSchema.safeParse(tracker.state).success).toBe(true);
    expect(tracker.state?.reason.startsWith('üüü')).toBe(true);
  });
});

import { planWindows, windowText } from '../lib/plan-windows';

/** The plan's allow/deny windows; says so when new changes may start at any time. */
export function WindowsView(props: { plan: unknown }) {
  const windows = planWindows(props.plan);
  if (windows.length === 0) {
    return (
      <p className="muted" data-testid="windows-none">
        No time windows: new changes may start at any time (unless the fleet is frozen).
      </p>
    );
  }
  const allows = windows.some((w) => w.kind === 'allow');
  return (
    <>
      <p className="muted small">
        {allows
          ? 'New changes start only inside an allow window and never inside a deny window; clusters already changing finish.'
          : 'New changes never start inside a deny window; clusters already changing finish.'}
      </p>
      <table className="table compact" data-testid="windows">
        <thead>
          <tr>
            <th>Kind</th>
            <th>Starts (cron)</th>
            <th>Lasts</th>
            <th>Time zone</th>
            <th>Meaning</th>
          </tr>
        </thead>
        <tbody>
          {windows.map((w, index) => (
            <tr key={index} data-testid={`window-${index}`}>
              <td>
                <span className={`badge ${w.kind === 'deny' ? 'tone-bad' : 'tone-good'}`}>{w.kind}</span>
              </td>
              <td>
                <code>{w.schedule}</code>
              </td>
              <td>{w.duration}</td>
              <td>{w.timeZone}</td>
              <td className="muted">{windowText(w)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

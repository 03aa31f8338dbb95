/** The wave plan (JSON with every default filled in) as a table people can read. */

interface WaveSettings {
  name?: unknown;
  selector?: unknown;
  maxConcurrency?: unknown;
  failureBudget?: unknown;
  soakSeconds?: unknown;
  requireApproval?: unknown;
  progressDeadlineSeconds?: unknown;
  offlinePolicy?: unknown;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function text(value: unknown, fallback = '—'): string {
  if (value === undefined || value === null || value === '') return fallback;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function seconds(value: unknown): string {
  if (typeof value !== 'number') return text(value);
  if (value === 0) return '—';
  if (value % 60 === 0) return `${value / 60}m`;
  return `${value}s`;
}

export function PlanView(props: { plan: unknown }) {
  const plan = asRecord(props.plan);
  const waves = (Array.isArray(plan['waves']) ? plan['waves'] : []).map(
    (wave) => asRecord(wave) as WaveSettings,
  );
  const rest = asRecord(plan['rest']) as WaveSettings;
  const rows: WaveSettings[] = [...waves, { ...rest, name: 'rest', selector: 'every other target' }];
  return (
    <div className="plan" data-testid="plan">
      <table className="table compact">
        <thead>
          <tr>
            <th>#</th>
            <th>Wave</th>
            <th>Selector</th>
            <th>Concurrency</th>
            <th>Failure budget</th>
            <th>Soak</th>
            <th>Approval</th>
            <th>Deadline</th>
            <th>Offline</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((wave, index) => (
            <tr key={`${index}-${text(wave.name)}`} data-testid={`plan-wave-${text(wave.name)}`}>
              <td className="muted">{index + 1}</td>
              <td>
                <strong>{text(wave.name)}</strong>
              </td>
              <td>
                <code>{text(wave.selector, '(every cluster)')}</code>
              </td>
              <td>{text(wave.maxConcurrency)}</td>
              <td>{text(wave.failureBudget)}</td>
              <td>{seconds(wave.soakSeconds)}</td>
              <td>{wave.requireApproval === true ? 'required' : '—'}</td>
              <td>{seconds(wave.progressDeadlineSeconds)}</td>
              <td>{text(wave.offlinePolicy)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">
        Automatic rollback when a wave breaks its budget: {plan['autoRollback'] === true ? 'on' : 'off'}. Each
        cluster joins the first wave whose selector matches it.
      </p>
    </div>
  );
}

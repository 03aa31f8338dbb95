import { type Rollout } from '../../api/model';

/** The rollout's verification check attempts (oldest first); nothing when its plan has no checks. */
export function VerificationRuns(props: { runs: Rollout['verificationRuns'] }) {
  if (props.runs.length === 0) return null;
  return (
    <section className="card" data-testid="verification-runs">
      <h2>Verification checks</h2>
      <table className="table compact">
        <thead>
          <tr>
            <th>Wave</th>
            <th>Check</th>
            <th>Kind</th>
            <th>Target</th>
            <th>Attempt</th>
            <th>Result</th>
            <th>Duration</th>
            <th>Message</th>
          </tr>
        </thead>
        <tbody>
          {props.runs.map((run) => (
            <tr key={run.id} data-testid="verification-run" data-result={run.result ?? 'running'}>
              <td>{run.wave}</td>
              <td>{run.check}</td>
              <td>{run.kind}</td>
              <td>{run.target}</td>
              <td>{run.attempt}</td>
              <td>{run.result ?? 'running'}</td>
              <td>
                {run.durationMs === null || run.durationMs === undefined ? '–' : `${run.durationMs} ms`}
              </td>
              <td>{run.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

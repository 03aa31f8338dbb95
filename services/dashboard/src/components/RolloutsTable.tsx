import { type RolloutSummary } from '../api/model';
import { formatAge, formatTime, subject } from '../lib/format';
import { useNow } from '../lib/use-now';
import { Link, paths } from '../router/router';
import { Commit } from './Commit';
import { RolloutStateBadge } from './StatusBadge';

export function RolloutsTable(props: { rollouts: RolloutSummary[]; showApplication?: boolean }) {
  const now = useNow(30_000);
  if (props.rollouts.length === 0) return <p className="muted">No rollouts yet.</p>;
  return (
    <div className="table-wrap">
      <table className="table" data-testid="rollouts-table">
        <thead>
          <tr>
            <th>State</th>
            {props.showApplication && <th>Application</th>}
            <th>Commit</th>
            <th>Started</th>
            <th>By</th>
            <th>Waiting on / outcome</th>
          </tr>
        </thead>
        <tbody>
          {props.rollouts.map((rollout) => (
            <tr key={rollout.id} data-testid={`rollout-row-${rollout.id}`}>
              <td>
                <Link to={paths.rollout(rollout.id)} className="row-link">
                  <RolloutStateBadge state={rollout.state} paused={rollout.paused} />
                  {rollout.kind !== 'rollout' && <span className="badge tone-neutral">{rollout.kind}</span>}
                </Link>
              </td>
              {props.showApplication && (
                <td>
                  <Link to={paths.application(rollout.applicationName)}>{rollout.applicationName}</Link>
                </td>
              )}
              <td>
                <Link to={paths.rollout(rollout.id)}>
                  <Commit
                    commit={rollout.commit}
                    author={rollout.revision?.author}
                    message={rollout.revision?.message}
                  />
                </Link>
              </td>
              <td title={formatTime(rollout.createdAt)}>{formatAge(rollout.createdAt, now)}</td>
              <td>{rollout.createdBy}</td>
              <td className="muted">{rollout.blocking?.message ?? subject(rollout.message) ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

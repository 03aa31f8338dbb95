import { type AssignmentPhase as Phase } from '@fleetwave/api-client';
import { type Rollout, type RolloutCluster, type RolloutWave } from '../../api/model';
import { BlockingDetail } from '../../components/BlockingDetail';
import { etaLabel } from '../../lib/format';
import { useNow } from '../../lib/use-now';

/** The colour family of each phase (see the legend). */
export const PHASE_TONE: Record<Phase, 'pending' | 'moving' | 'healthy' | 'failed' | 'skipped'> = {
  Pending: 'pending',
  Assigned: 'moving',
  Applying: 'moving',
  Progressing: 'moving',
  Healthy: 'healthy',
  Degraded: 'failed',
  Failed: 'failed',
  TimedOut: 'failed',
  Skipped: 'skipped',
};

const COUNT_LABELS: [keyof RolloutWave['counts'], string][] = [
  ['healthy', 'healthy'],
  ['assigned', 'assigned'],
  ['applying', 'applying'],
  ['progressing', 'progressing'],
  ['degraded', 'degraded'],
  ['failed', 'failed'],
  ['timedOut', 'timed out'],
  ['skipped', 'skipped'],
  ['pending', 'pending'],
];

function clusterTitle(cluster: RolloutCluster): string {
  const lines = [`${cluster.name}: ${cluster.phase}`];
  if (cluster.blocking) lines.push(cluster.blocking.message);
  for (const failing of cluster.failing) lines.push(`${failing.id}: ${failing.reason} — ${failing.message}`);
  return lines.join('\n');
}

function WaveColumn(props: { wave: RolloutWave; clusters: RolloutCluster[]; current: boolean }) {
  const { wave } = props;
  const now = useNow();
  const done = wave.counts.healthy + wave.counts.skipped;
  const counts = COUNT_LABELS.filter(([key]) => wave.counts[key] > 0);
  return (
    <div
      className={props.current ? 'wave current' : 'wave'}
      data-testid={`wave-${wave.name}`}
      data-healthy={wave.counts.healthy}
      data-size={wave.size}
    >
      <div className="wave-header">
        <div className="wave-title">
          <span className="wave-index">{wave.index + 1}</span>
          <strong>{wave.name}</strong>
          <span className="wave-done" data-testid={`wave-progress-${wave.name}`}>
            {done}/{wave.size}
          </span>
        </div>
        <code className="wave-selector">{wave.selector || '(every other target)'}</code>
        <div className="wave-flags">
          {wave.requireApproval && (
            <span className="flag">
              {wave.approvedBy ? `approved by ${wave.approvedBy}` : 'needs approval'}
            </span>
          )}
          <span className="flag">max {wave.concurrencyLimit} at once</span>
          <span className="flag">
            failures {wave.failed}/{wave.failureLimit}
          </span>
          {wave.soakSeconds > 0 && <span className="flag">soak {wave.soakSeconds}s</span>}
        </div>
        <div className="wave-counts" data-testid={`wave-counts-${wave.name}`}>
          {counts.length === 0
            ? 'no clusters'
            : counts.map(([key, label]) => (
                <span key={key} className={`count count-${key}`}>
                  {wave.counts[key]} {label}
                </span>
              ))}
        </div>
        {!wave.healthyAt && etaLabel(wave.eta, now) !== null && (
          <div className="wave-eta" data-testid={`wave-eta-${wave.name}`} data-basis={wave.eta.basis}>
            done {etaLabel(wave.eta, now)}
          </div>
        )}
        {wave.blocking && (
          <div
            className="wave-blocking"
            data-testid={`wave-blocking-${wave.name}`}
            data-kind={wave.blocking.kind}
          >
            {wave.blocking.message}
          </div>
        )}
        <BlockingDetail blocking={wave.blocking} testId={`wave-blocking-detail-${wave.name}`} />
      </div>
      <ul className="cells">
        {props.clusters.map((cluster) => (
          <li
            key={cluster.name}
            className={`cell phase-${PHASE_TONE[cluster.phase]}`}
            title={clusterTitle(cluster)}
            data-testid={`cell-${cluster.name}`}
            data-phase={cluster.phase}
          >
            <span className="cell-name">{cluster.name}</span>
            <span className="cell-phase">{cluster.phase}</span>
            {cluster.failing[0] && <span className="cell-note">{cluster.failing[0].reason}</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Waves as columns, in order; the implicit `rest` only when it has clusters. */
export function WaveBoard(props: { rollout: Rollout }) {
  const { rollout } = props;
  const waves = rollout.waves.filter((wave) => wave.size > 0 || wave.name !== 'rest');
  return (
    <div className="board" data-testid="wave-board">
      {waves.map((wave) => (
        <WaveColumn
          key={wave.name}
          wave={wave}
          clusters={rollout.clusters.filter((c) => c.wave === wave.name)}
          current={wave.index === rollout.currentWave && !isFinished(rollout)}
        />
      ))}
    </div>
  );
}

export function isFinished(rollout: Pick<Rollout, 'state'>): boolean {
  return ['Succeeded', 'Failed', 'Aborted', 'RolledBack', 'Superseded'].includes(rollout.state);
}

export function PhaseLegend() {
  return (
    <div className="legend">
      <span className="cell-swatch phase-pending" /> Pending
      <span className="cell-swatch phase-moving" /> Assigned / Applying / Progressing
      <span className="cell-swatch phase-healthy" /> Healthy
      <span className="cell-swatch phase-failed" /> Degraded / Failed / Timed out
      <span className="cell-swatch phase-skipped" /> Skipped
    </div>
  );
}

import {
  FINAL_STATES,
  type PhaseCounts,
  type Preview,
  type PreviewDiff,
  type Rollout,
  type RolloutCluster,
  type RolloutSummary,
  type RolloutWave,
} from '../resources/rollouts.js';
import { formatAge, formatTime, humanDuration } from './age.js';
import { progressBar, type ProgressSegments } from './progress.js';
import { renderFields, renderTable, truncate } from './table.js';

/** Pure: the first 7 characters of a commit id, as git shows it. */
export function shortSha(commit: string | null | undefined): string {
  return commit ? commit.slice(0, 7) : '<none>';
}

/** Pure: the first line of a commit message. */
export function firstLine(message: string | null | undefined): string {
  return (message ?? '').split('\n')[0]!.trim();
}

/** Pure: `1a2b3c4 Ada Lovelace: web: first config` (what was rolled out, by whom, why). */
export function describeCommit(rollout: Pick<RolloutSummary, 'commit' | 'revision'>): string {
  const sha = shortSha(rollout.commit);
  if (!rollout.revision) return sha;
  const subject = firstLine(rollout.revision.message);
  return `${sha} ${rollout.revision.author}${subject ? `: ${subject}` : ''}`;
}

/** Pure: the wave's counts grouped as a progress bar shows them. */
export function segments(counts: PhaseCounts): ProgressSegments {
  return {
    done: counts.healthy + counts.skipped,
    inFlight: counts.assigned + counts.applying + counts.progressing,
    failed: counts.failed + counts.degraded + counts.timedOut,
    pending: counts.pending,
  };
}

const PHASE_ORDER: readonly (keyof PhaseCounts)[] = [
  'healthy',
  'skipped',
  'progressing',
  'applying',
  'assigned',
  'degraded',
  'failed',
  'timedOut',
  'pending',
];

/** Pure: the non-zero phase counts, `healthy 3, progressing 1, pending 2` (`-` when none). */
export function phaseCounts(counts: PhaseCounts): string {
  const parts = PHASE_ORDER.filter((phase) => counts[phase] > 0).map((phase) => `${phase} ${counts[phase]}`);
  return parts.length === 0 ? '-' : parts.join(', ');
}

/**
 * Pure: what a wave is doing: the hub's blocking message as it is (`soak: 4m12s left`,
 * `approval pending`, `2/20 failed, budget 1`), else Done / Failed / Progressing (started, or a
 * member assigned) / Pending, or the rollout's final state for a wave it stopped in.
 */
export function waveStatus(wave: RolloutWave, rolloutState: string): string {
  if (wave.blocking) return wave.blocking.message;
  if (wave.healthyAt) return 'Done';
  if (wave.failed > wave.failureLimit) return 'Failed';
  const final = FINAL_STATES.has(rolloutState);
  const s = segments(wave.counts);
  if (wave.startedAt || s.inFlight + s.done + s.failed > 0) return final ? rolloutState : 'Progressing';
  return final ? '-' : 'Pending';
}

/**
 * Pure: an ETA for people: `in 4m12s (2026-01-05T10:04:12Z, observed, high confidence)` (compact,
 * for a table: `in 4m12s`), `waiting for approval`, `unknown`; `-` once finished.
 */
export function etaText(
  eta: { at?: unknown; basis: string; confidence?: string } | null | undefined,
  now: Date,
  compact = false,
): string {
  if (!eta || eta.basis === 'finished') return '-';
  if (eta.basis === 'awaitingApproval') return 'waiting for approval';
  if (typeof eta.at !== 'string' && !(eta.at instanceof Date)) return 'unknown';
  const at = new Date(eta.at);
  const left = Math.max(0, (at.getTime() - now.getTime()) / 1000);
  if (compact) return `in ${humanDuration(left)}`;
  const basis = eta.confidence ? `${eta.basis}, ${eta.confidence} confidence` : eta.basis;
  return `in ${humanDuration(left)} (${formatTime(at)}, ${basis})`;
}

/** Pure: the rollout header of `rollouts get`. */
export function describeRollout(rollout: Rollout, now: Date): string {
  return renderFields([
    ['Rollout', rollout.id],
    ['Application', rollout.applicationName],
    [
      'Kind',
      rollout.kind === 'rollback'
        ? `rollback of ${rollout.rollbackOf ?? '<unknown>'}`
        : rollout.kind === 'catchup'
          ? 'catch-up to the settled revision'
          : rollout.kind === 'reconfigure'
            ? 'reconfigure: the settled revision for clusters whose labels or values changed'
            : undefined,
    ],
    ['Commit', describeCommit(rollout)],
    ['State', rollout.state],
    ['Blocking', rollout.blocking?.message],
    ['ETA', FINAL_STATES.has(rollout.state) ? undefined : etaText(rollout.eta, now)],
    ['Message', rollout.message ?? undefined],
    ['Rolled back by', rollout.rolledBackBy ?? undefined],
    ['Created', `${formatAge(rollout.createdAt, now)} ago by ${rollout.createdBy}`],
    ['Finished', rollout.finishedAt ? `${formatAge(rollout.finishedAt, now)} ago` : undefined],
  ]);
}

/** Pure: NAME SIZE HEALTHY IN-FLIGHT FAILED/BUDGET STATE/BLOCKING ETA, one row per wave. */
export function wavesTable(rollout: Rollout, now: Date): string {
  return renderTable(
    ['name', 'size', 'healthy', 'in-flight', 'failed/budget', 'state/blocking', 'eta'],
    rollout.waves.map((wave) => {
      const s = segments(wave.counts);
      return [
        wave.name,
        String(wave.size),
        String(wave.counts.healthy),
        String(s.inFlight),
        `${wave.failed}/${wave.failureLimit}`,
        waveStatus(wave, rollout.state),
        wave.healthyAt ? '-' : etaText(wave.eta, now),
      ];
    }),
  );
}

/** Pure: a failing object summary, `web-config: CrashLoop: back-off restarting` (first one, +N more). */
export function failingSummary(cluster: RolloutCluster): string {
  const [first, ...rest] = cluster.failing;
  if (!first) return '';
  const text = `${first.id}: ${first.reason}: ${first.message}`;
  return rest.length > 0 ? `${text} (+${rest.length} more)` : text;
}

/** Pure: NAME WAVE PHASE COMMIT REPORTED BLOCKING/FAILING, one row per member cluster. */
export function clustersTable(clusters: readonly RolloutCluster[], now: Date): string {
  return renderTable(
    ['name', 'wave', 'phase', 'commit', 'reported', 'blocking/failing'],
    clusters.map((c) => [
      c.name,
      c.wave,
      c.phase,
      c.targetCommit ? shortSha(c.targetCommit) : '-',
      c.reportedAt ? formatAge(c.reportedAt, now) : '-',
      c.blocking?.message ?? (failingSummary(c) || '-'),
    ]),
  );
}

/** Pure: WAVE CHECK KIND TARGET ATTEMPT RESULT DURATION MESSAGE, one row per check attempt. */
export function verificationTable(runs: Rollout['verificationRuns']): string {
  return renderTable(
    ['wave', 'check', 'kind', 'target', 'attempt', 'result', 'duration', 'message'],
    runs.map((run) => [
      run.wave,
      run.check,
      run.kind,
      run.target,
      String(run.attempt),
      run.result ?? 'running',
      run.durationMs === null || run.durationMs === undefined ? '-' : `${run.durationMs}ms`,
      truncate(run.message, 100),
    ]),
  );
}

/** Pure: the whole `rollouts get` text (verification runs when there are any, clusters when they were read). */
export function rolloutDetails(rollout: Rollout, now: Date): string {
  let out = `${describeRollout(rollout, now)}\n${wavesTable(rollout, now)}`;
  if (rollout.verificationRuns.length > 0)
    out += `\nVerification checks:\n${verificationTable(rollout.verificationRuns)}`;
  if (rollout.clusters) {
    out += `\n${rollout.clusters.length === 0 ? 'No member clusters.\n' : clustersTable(rollout.clusters, now)}`;
  }
  return out;
}

/** Pure: ID APP KIND COMMIT STATE BLOCKING CREATED-BY AGE. */
export function rolloutsTable(rollouts: readonly RolloutSummary[], now: Date): string {
  return renderTable(
    ['id', 'app', 'kind', 'commit', 'state', 'blocking', 'eta', 'created-by', 'age'],
    rollouts.map((r) => [
      r.id,
      r.applicationName,
      r.kind,
      shortSha(r.commit),
      r.state,
      r.blocking?.message ?? '-',
      FINAL_STATES.has(r.state) ? '-' : etaText(r.eta, now, true),
      r.createdBy,
      formatAge(r.createdAt, now),
    ]),
  );
}

/** Pure: a wave in one phrase: `prod 1/4 healthy, 2 in flight, 1/1 failed: 3/3 in flight (max 3)`. */
export function waveSummary(wave: RolloutWave, rolloutState: string): string {
  const s = segments(wave.counts);
  const parts = [`${wave.name} ${wave.counts.healthy}/${wave.size} healthy`];
  if (wave.counts.skipped > 0) parts.push(`${wave.counts.skipped} skipped`);
  if (s.inFlight > 0) parts.push(`${s.inFlight} in flight`);
  if (wave.failed > 0) parts.push(`${wave.failed}/${wave.failureLimit} failed`);
  return `${parts.join(', ')}: ${waveStatus(wave, rolloutState)}`;
}

/**
 * Pure: one line per change for `rollouts watch` when stdout is not a terminal:
 * `Progressing | canary 1/1 healthy: Done | prod 0/2 healthy, 1 in flight: deadline at …`.
 */
export function watchLine(rollout: Rollout): string {
  const state = rollout.paused && rollout.state !== 'Paused' ? `${rollout.state} (paused)` : rollout.state;
  return [state, ...rollout.waves.map((w) => waveSummary(w, rollout.state))].join(' | ');
}

/**
 * Pure: the frame `rollouts watch` redraws on a terminal: a header, then one row per wave with a
 * progress bar, the counts by phase and what it waits for; lines cut to the terminal width.
 */
export function watchFrame(rollout: Rollout, now: Date, columns = 120): string {
  const header = [
    `Rollout ${rollout.id}  ${rollout.applicationName} @ ${describeCommit(rollout)}`,
    `State: ${rollout.state}${rollout.blocking ? `  Blocking: ${rollout.blocking.message}` : ''}  (updated ${formatTime(now)})`,
    '',
  ];
  const table = renderTable(
    ['wave', 'progress', 'healthy', 'failed/budget', 'phases', 'state/blocking'],
    rollout.waves.map((wave) => [
      wave.name,
      progressBar(segments(wave.counts)),
      `${wave.counts.healthy}/${wave.size}`,
      `${wave.failed}/${wave.failureLimit}`,
      phaseCounts(wave.counts),
      waveStatus(wave, rollout.state),
    ]),
  );
  const lines = [...header, ...table.trimEnd().split('\n')];
  return lines.map((line) => `${truncate(line, Math.max(10, columns - 1))}\n`).join('');
}

/** Pure: the text of `rollouts preview`. */
export function previewText(preview: Preview): string {
  let out = renderFields([
    ['Application', preview.application],
    ['Commit', preview.commit ?? '<none fetched yet>'],
  ]);
  out += '\n';
  out += renderTable(
    ['wave', 'selector', 'size', 'clusters'],
    preview.waves.map((w) => [
      w.name,
      w.selector === '' ? '<rest>' : w.selector,
      String(w.clusters.length),
      w.clusters.length === 0 ? '-' : w.clusters.map((c) => c.name).join(','),
    ]),
  );
  if (preview.excluded.length > 0) {
    out += `\nExcluded:\n${preview.excluded.map((e) => `  ${e.name} (wave ${e.wave}): ${e.reason}\n`).join('')}`;
  }
  if (preview.renderErrors.length > 0) {
    out += `\nRender errors (startRollout would refuse):\n${preview.renderErrors.map((e) => `  ${e}\n`).join('')}`;
  }
  if (preview.bundles.length > 0) {
    out += '\n';
    out += renderTable(
      ['bundle', 'clusters', 'objects'],
      preview.bundles.map((b) => [shortDigest(b.digest), String(b.clusters), String(b.objects)]),
    );
  }
  return out;
}

/** `sha256:` and the first 12 hex digits. */
function shortDigest(digest: string): string {
  return digest.slice(0, 'sha256:'.length + 12);
}

/**
 * The pre-flight diff, one block per group of clusters whose move changes the same objects (as
 * the hub grouped them, largest first), each object as `kubectl diff` prints it.
 */
export function previewDiffText(preview: PreviewDiff): string {
  const blocks = preview.diff.map((group) => {
    const what = group.changes.length === 0 ? 'no change' : `${group.changes.length} object(s) change`;
    const diffs = group.changes.map((c) => (c.diff.endsWith('\n') ? c.diff : `${c.diff}\n`));
    return `# ${group.clusters.length} cluster(s): ${group.clusters.join(', ')} — ${what}\n${diffs.join('')}`;
  });
  if (preview.renderErrors.length > 0) {
    blocks.push(
      `Render errors (startRollout would refuse):\n${preview.renderErrors.map((e) => `  ${e}\n`).join('')}`,
    );
  }
  return blocks.join('\n');
}

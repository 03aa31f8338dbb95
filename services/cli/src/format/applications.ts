import { type WindowSpec } from '../args/windows.js';
import { type Application } from '../resources/applications.js';
import { formatAge } from './age.js';
import { firstLine, shortSha } from './rollouts.js';
import { renderFields, renderTable } from './table.js';

/** Pure: NAME REF PATH POLICY COMMIT SYNCED AGE (SYNCED says `error` when the last sync failed). */
export function applicationsTable(apps: readonly Application[], now: Date): string {
  return renderTable(
    ['name', 'ref', 'path', 'policy', 'commit', 'synced', 'age'],
    apps.map((a) => [
      a.name,
      a.ref,
      a.path === '' ? '/' : a.path,
      a.syncPolicy,
      shortSha(a.latestCommit),
      a.lastSyncError ? 'error' : a.lastSyncedAt ? formatAge(a.lastSyncedAt, now) : '<never>',
      formatAge(a.createdAt, now),
    ]),
  );
}

interface PlanWave {
  name?: unknown;
  selector?: unknown;
  maxConcurrency?: unknown;
  failureBudget?: unknown;
  soakSeconds?: unknown;
  requireApproval?: unknown;
}

/** Pure: the wave plan as a table (NAME SELECTOR MAX FAILURE-BUDGET SOAK APPROVAL), `rest` last. */
export function planTable(plan: unknown): string {
  const p = (plan ?? {}) as { waves?: PlanWave[]; rest?: PlanWave };
  const waves: PlanWave[] = [
    ...(Array.isArray(p.waves) ? p.waves : []),
    { ...p.rest, name: 'rest', selector: '' },
  ];
  return renderTable(
    ['wave', 'selector', 'max-concurrency', 'failure-budget', 'soak', 'approval'],
    waves.map((w) => [
      String(w.name ?? ''),
      w.selector === '' || w.selector === undefined ? '<rest>' : String(w.selector),
      String(w.maxConcurrency ?? 1),
      String(w.failureBudget ?? 0),
      `${String(w.soakSeconds ?? 0)}s`,
      w.requireApproval ? 'required' : '-',
    ]),
  );
}

/** Pure: the text of `apps get`. */
export function describeApplication(app: Application, now: Date): string {
  const revision = app.latestRevision;
  const plan = (app.plan ?? {}) as { autoRollback?: unknown };
  let out = renderFields([
    ['Name', app.name],
    ['Project', app.project],
    ['Repository', app.repoUrl],
    ['Credentials', app.credentialsRef ?? undefined],
    ['Ref', app.ref],
    ['Path', app.path === '' ? '/' : app.path],
    ['Selector', app.targetSelector === '' ? '<every cluster>' : app.targetSelector],
    ['Sync policy', `${app.syncPolicy}, polled every ${app.pollIntervalSeconds}s`],
    ['Namespace', app.defaultNamespace ?? undefined],
    ['Prune', app.prune ? 'yes' : 'no'],
    ['Join policy', app.joinPolicy],
    ['Allow empty', app.allowEmpty ? 'yes' : 'no'],
    ['Recreate', app.recreate],
    [
      'Verify',
      app.verify
        ? `${app.verify.mode} signatures, ${app.verify.trustedKeys.length} trusted key(s)`
        : 'no (commits need no signature)',
    ],
    [
      'Latest commit',
      revision
        ? `${shortSha(revision.commit)} ${revision.author}: ${firstLine(revision.message)}`
        : shortSha(app.latestCommit),
    ],
    ['Signature', revision?.signature ? signatureText(revision.signature) : undefined],
    ['Commit error', revision?.error ?? undefined],
    [
      'Out of sync',
      app.outOfSyncClusters > 0
        ? `${app.outOfSyncClusters} cluster(s): labels or values changed their bundle (start a rollout to apply)`
        : undefined,
    ],
    ['Held at', app.heldAt ? `${shortSha(app.heldAt)} (the latest commit is vetoed)` : undefined],
    ['Last sync', app.lastSyncedAt ? `${formatAge(app.lastSyncedAt, now)} ago` : '<never>'],
    ['Sync error', app.lastSyncError ?? undefined],
    ['Auto rollback', plan.autoRollback ? 'yes' : 'no'],
    ['Created', `${formatAge(app.createdAt, now)} ago`],
  ]);
  out += `\n${planTable(app.plan)}`;
  const windows = planWindows(app.plan);
  if (windows.length > 0) {
    out += `\n${renderTable(
      ['window', 'schedule', 'duration', 'time-zone'],
      windows.map((w) => [w.kind, w.schedule, w.duration, w.timeZone ?? 'UTC']),
    )}`;
  }
  if (app.vetoes.length > 0) {
    out += `\n${renderTable(
      ['vetoed', 'by', 'age', 'reason'],
      app.vetoes.map((v) => [shortSha(v.commit), v.actor, formatAge(v.at, now), firstLine(v.reason)]),
    )}`;
  }
  if (app.healthChecks.length > 0) {
    out += `\n${renderTable(
      ['health-kind', 'current', 'failed', 'in-progress'],
      app.healthChecks.map((h) => [
        `${h.apiVersion} ${h.kind}`,
        oneLine(h.current),
        oneLine(h.failed ?? '-'),
        oneLine(h.inProgress ?? '-'),
      ]),
    )}`;
  }
  if (app.valuesRules.length > 0) {
    out += `\n${renderTable(
      ['values-selector', 'values'],
      app.valuesRules.map((r) => [
        r.selector === '' ? '<every cluster>' : r.selector,
        JSON.stringify(r.values),
      ]),
    )}`;
  }
  return out;
}

/** Pure: the plan's time windows (none when it has none). */
export function planWindows(plan: unknown): WindowSpec[] {
  const windows = (plan as { windows?: unknown } | null)?.windows;
  return Array.isArray(windows) ? (windows as WindowSpec[]) : [];
}

/** Pure: a revision's signature check, e.g. `verified C43DCD39329F21FB (Ann <ann@example.com>)`. */
export function signatureText(signature: {
  status: string;
  keyId?: string | null;
  signer?: string | null;
}): string {
  const key = signature.keyId ? ` ${signature.keyId}` : '';
  const signer = signature.signer ? ` (${signature.signer})` : '';
  return `${signature.status}${key}${signer}`;
}

/** A multi-line expression on one table row. */
function oneLine(expression: string): string {
  return expression.replace(/\s*\n\s*/g, ' ');
}

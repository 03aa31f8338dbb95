// Rendering Helm charts (issue 14), on a real hub process with the real helm, PostgreSQL, Kafka and
// git over HTTP:
//   1. 1,000 clusters with 10 value sets → exactly 10 renders (counted on the hub's /metrics), and
//      the wall time of the first render pass (previewRollout over 1,000 clusters) and of a second,
//      cached one; then a rollout is started and must render nothing more.
//   2. Wall time and CPU per render of a 50-template chart: `--renders` renders with distinct values
//      through renderApplication; CPU of the hub process and of its helm children from /proc.
//   3. New chart version → first-wave assignments visible to 100 simulated agents with 3 value sets:
//      `--rounds` times a new chart version is committed and pushed (signed webhook); measured from
//      the webhook to each first-wave agent's long-poll returning the new assignment.
//
// Usage: npm run build && npx tsx bench/render.ts [--clusters 1000] [--renders 30] [--rounds 10]
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type AssignmentsResponse } from '@fleetwave/contracts';
import { createRepo } from '../test/harness/git-server.js';
import { sendPushWebhook } from '../test/harness/git-push.js';
import { type HubProcess } from '../test/harness/hub-process.js';
import { repoRoot } from '../test/harness/paths.js';
import { BatchingReportSink } from '../test/harness/report-sinks.js';
import { alwaysHealthy, SimAgent } from '../test/harness/sim-agent.js';
import { waitFor } from '../test/harness/wait-for.js';
import { type RegisteredCluster, simLabels } from './sim/fleet.js';
import { hubMetric, SimStack, WEBHOOK_SECRET } from './sim/stack.js';

const { values: args } = parseArgs({
  options: {
    clusters: { type: 'string', default: '1000' },
    'value-sets': { type: 'string', default: '10' },
    renders: { type: 'string', default: '30' },
    templates: { type: 'string', default: '50' },
    agents: { type: 'string', default: '100' },
    rounds: { type: 'string', default: '10' },
  },
});
const CLUSTERS = Number(args.clusters);
const VALUE_SETS = Number(args['value-sets']);
const RENDERS = Number(args.renders);
const TEMPLATES = Number(args.templates);
const AGENTS = Number(args.agents);
const ROUNDS = Number(args.rounds);
const REGIONS = ['eu', 'us', 'ap']; // simLabels' regions: the 3 value sets of part 3

const say = (line: string) => console.log(`[render ${new Date().toISOString().slice(11, 19)}] ${line}`);
const quantile = (values: readonly number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
};
const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const spread = (values: readonly number[], digits = 0) => ({
  p50: +quantile(values, 0.5).toFixed(digits),
  p90: +quantile(values, 0.9).toFixed(digits),
  max: +Math.max(...values).toFixed(digits),
});

/** CPU seconds of a process and of the children it has waited for (helm), from /proc/<pid>/stat. */
async function cpuSeconds(hub: HubProcess): Promise<{ own: number; children: number }> {
  const stat = await readFile(`/proc/${hub.process.child.pid}/stat`, 'utf8');
  // Fields after the parenthesised command name: utime, stime, cutime, cstime are 14–17 (1-based).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = (i: number) => Number(fields[i]) / 100; // CLK_TCK
  return { own: ticks(11) + ticks(12), children: ticks(13) + ticks(14) };
}

/** Every file under `dir`, keyed by `prefix/<relative path>`, as git files for a commit. */
async function filesUnder(dir: string, prefix: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    out[`${prefix}/${path.relative(dir, full)}`] = await readFile(full, 'utf8');
  }
  return out;
}

/**
 * A chart of `count` templates: alternately a Deployment and a ConfigMap, each using the helpers
 * (names, labels, an annotations block), values lookups, a range and a conditional, like real charts.
 */
function bigChart(prefix: string, count: number): Record<string, string> {
  const files: Record<string, string> = {
    [`${prefix}/Chart.yaml`]: 'apiVersion: v2\nname: big\nversion: 1.0.0\nappVersion: "1.0"\n',
    [`${prefix}/values.yaml`]: [
      'image: { repository: nginx, tag: "1.27" }',
      'replicas: 2',
      'seed: "0"',
      'settings: { logLevel: info, featureA: "on", featureB: "off", timeoutSeconds: "30" }',
      'resources: { requests: { cpu: 10m, memory: 16Mi } }',
      '',
    ].join('\n'),
    [`${prefix}/templates/_helpers.tpl`]: `{{- define "big.name" -}}
{{- printf "%s-%s" .root.Release.Name .part | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- define "big.labels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .part }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
{{- end -}}
{{- define "big.annotations" -}}
fleetwave.io/seed: {{ .root.Values.seed | quote }}
checksum/settings: {{ toJson .root.Values.settings | sha256sum }}
{{- end -}}
`,
  };
  for (let i = 0; i < count; i++) {
    const part = `part-${String(i).padStart(2, '0')}`;
    const ctx = `(dict "root" $ "part" "${part}")`;
    files[`${prefix}/templates/${part}.yaml`] =
      i % 2 === 0
        ? `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "big.name" ${ctx} }}
  labels: {{- include "big.labels" ${ctx} | nindent 4 }}
  annotations: {{- include "big.annotations" ${ctx} | nindent 4 }}
spec:
  replicas: {{ .Values.replicas }}
  selector:
    matchLabels: {{- include "big.labels" ${ctx} | nindent 6 }}
  template:
    metadata:
      labels: {{- include "big.labels" ${ctx} | nindent 8 }}
    spec:
      containers:
        - name: main
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          env:
            {{- range $key, $value := .Values.settings }}
            - name: {{ $key | upper }}
              value: {{ $value | quote }}
            {{- end }}
          {{- with .Values.resources }}
          resources: {{- toYaml . | nindent 12 }}
          {{- end }}
`
        : `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "big.name" ${ctx} }}
  labels: {{- include "big.labels" ${ctx} | nindent 4 }}
data:
  seed: {{ .Values.seed | quote }}
  {{- range $key, $value := .Values.settings }}
  {{ $key }}: {{ $value | quote }}
  {{- end }}
  {{- if eq .Values.settings.featureA "on" }}
  featureA.conf: |
    enabled = true
    part = ${part}
  {{- end }}
`;
  }
  return files;
}

const stack = await SimStack.start({ hubEnv: { HUB_ROLLOUT_PASS_INTERVAL_SECONDS: '5' } });
const sender = new BatchingReportSink(stack.kafka.brokers);
const agents: SimAgent[] = [];
try {
  const { hub } = await stack.addHub();
  const gql = stack.gql;
  const helmRenders = () =>
    hubMetric(hub, 'fleetwave_hub_renders_total', { renderer: 'helm', result: 'rendered' });
  const register = async (
    count: number,
    firstIndex: number,
    labels: (i: number) => Record<string, string>,
  ) => {
    const { clusters, seconds } = await stack.register(count, labels, { firstIndex });
    say(`${count} clusters registered in ${seconds.toFixed(1)} s`);
    return clusters;
  };
  const createApplication = (input: Record<string, unknown>) =>
    gql(`mutation($input: CreateApplicationInput!) { createApplication(input: $input) { name } }`, {
      input: {
        repoUrl: stack.git.url('fleet'),
        ref: 'main',
        renderer: 'helm',
        pollIntervalSeconds: 3600,
        syncPolicy: 'manual',
        ...input,
      },
    });
  const sync = async (name: string) => {
    const { syncApplication } = await gql<{ syncApplication: { commit: string | null } }>(
      `mutation($name: String!) { syncApplication(name: $name) { commit } }`,
      { name },
    );
    if (syncApplication.commit === null) throw new Error(`sync of ${name} fetched nothing`);
    return syncApplication.commit;
  };

  const repo = await createRepo(path.join(stack.work, 'git'), 'fleet');
  const webChart = await filesUnder(path.join(repoRoot, 'test/fixtures/charts/web'), 'web');
  const withVersion = (version: string): Record<string, string> => ({
    ...webChart,
    'web/Chart.yaml': webChart['web/Chart.yaml']!.replace(/^version: .*$/m, `version: ${version}`),
  });
  let commit = await repo.commit(
    { ...withVersion('1.2.0'), ...bigChart('big', TEMPLATES) },
    'the web chart and a 50-template chart',
  );

  // (1) 1,000 clusters, 10 value sets (label vs=v0…v9, one values rule each) → 10 renders.
  const many = await register(CLUSTERS, 0, (i) => ({ bench: 'many', vs: `v${i % VALUE_SETS}` }));
  await createApplication({
    name: 'many',
    path: 'web',
    targetSelector: 'bench=many',
    valuesRules: Array.from({ length: VALUE_SETS }, (_, v) => ({
      selector: `vs=v${v}`,
      values: { greeting: `hello from value set ${v}`, image: { tag: `1.27.${v}` } },
    })),
    plan: { waves: [], rest: { maxConcurrency: '100%' } },
  });
  await sync('many');
  const before = await helmRenders();
  const preview = async () => {
    const t0 = performance.now();
    const { previewRollout } = await gql<{
      previewRollout: { bundles: { digest: string; clusters: number }[]; renderErrors: string[] };
    }>(`query { previewRollout(application: "many") { bundles { digest clusters } renderErrors } }`);
    const ms = performance.now() - t0;
    if (previewRollout.renderErrors.length > 0) throw new Error(previewRollout.renderErrors[0]);
    return { ms, bundles: previewRollout.bundles };
  };
  const first = await preview();
  const afterFirst = await helmRenders();
  const second = await preview();
  const afterSecond = await helmRenders();
  const t0 = performance.now();
  await gql(`mutation { startRollout(application: "many") { id } }`);
  const startMs = performance.now() - t0;
  const afterStart = await helmRenders();
  const part1 = {
    clusters: many.length,
    valueSets: VALUE_SETS,
    distinctBundles: first.bundles.length,
    clustersInBundles: first.bundles.reduce((n, b) => n + b.clusters, 0),
    helmRendersFirstPass: afterFirst - before,
    helmRendersSecondPass: afterSecond - afterFirst,
    helmRendersStartRollout: afterStart - afterSecond,
    helmRendersTotal: afterStart - before,
    oneRenderPerValueSet: afterStart - before === VALUE_SETS,
    firstPassMs: Math.round(first.ms),
    secondPassCachedMs: Math.round(second.ms),
    startRolloutCachedMs: Math.round(startMs),
  };
  say(`part 1: ${JSON.stringify(part1)}`);
  if (!part1.oneRenderPerValueSet) {
    console.error(
      `expected exactly ${VALUE_SETS} helm renders for ${VALUE_SETS} value sets, counted ${part1.helmRendersTotal}`,
    );
    process.exitCode = 1;
  }

  // (2) A 50-template chart, rendered RENDERS times with distinct values for one cluster.
  await createApplication({ name: 'big', path: 'big', targetSelector: 'bench=many' });
  await sync('big');
  const wallMs: number[] = [];
  const hubCpuMs: number[] = [];
  const helmCpuMs: number[] = [];
  let objects = 0;
  const renders0 = await helmRenders();
  for (let i = 1; i <= RENDERS; i++) {
    await gql(`mutation($v: JSON!) { updateApplication(name: "big", input: { values: $v }) { name } }`, {
      v: { seed: `seed-${i}` },
    });
    const cpu0 = await cpuSeconds(hub);
    const start = performance.now();
    const { renderApplication } = await gql<{
      renderApplication: { manifests: string | null; error: string | null };
    }>(`query($c: String!) { renderApplication(application: "big", cluster: $c) { manifests error } }`, {
      c: many[0]!.identity.clusterName,
    });
    wallMs.push(performance.now() - start);
    const cpu1 = await cpuSeconds(hub);
    if (renderApplication.error !== null) throw new Error(renderApplication.error);
    objects = renderApplication.manifests!.split(/^---$/m).filter((doc) => /\bkind:/.test(doc)).length;
    hubCpuMs.push((cpu1.own - cpu0.own) * 1000);
    helmCpuMs.push((cpu1.children - cpu0.children) * 1000);
  }
  const part2 = {
    templates: TEMPLATES,
    objectsPerRender: objects,
    renders: RENDERS,
    helmRendersCounted: (await helmRenders()) - renders0,
    wallMs: spread(wallMs),
    // /proc counts CPU in 10 ms ticks: the means over all renders are finer than any one render's.
    hubProcessCpuMs: { ...spread(hubCpuMs), mean: +mean(hubCpuMs).toFixed(1) },
    helmChildCpuMs: { ...spread(helmCpuMs), mean: +mean(helmCpuMs).toFixed(1) },
  };
  say(`part 2: ${JSON.stringify(part2)}`);

  // (3) 100 agents, 3 value sets (region), first wave = tier a (10 clusters); a new chart version
  // committed and pushed ROUNDS times.
  const waveClusters: RegisteredCluster[] = await register(AGENTS, CLUSTERS, (i) => ({
    ...simLabels(i, AGENTS),
    bench: 'wave',
  }));
  await sender.connect();
  const firstWave = new Set(
    waveClusters.filter((c) => c.labels.tier === 'a').map((c) => c.identity.clusterId),
  );
  const seen = new Map<string, Map<string, number>>(); // commit → cluster id → when its poll returned it
  for (const { identity } of waveClusters) {
    const agent = new SimAgent({
      hubUrl: stack.hubUrls,
      identity,
      reports: sender,
      keepResponses: false,
      coalesceMs: 50,
      onReceived: (response: AssignmentsResponse, at: number) => {
        for (const a of response.assignments) {
          const byCluster = seen.get(a.commit) ?? new Map<string, number>();
          seen.set(a.commit, byCluster);
          if (!byCluster.has(identity.clusterId)) byCluster.set(identity.clusterId, at);
        }
      },
      behaviour: alwaysHealthy,
    });
    agent.start();
    agents.push(agent);
  }
  await createApplication({
    name: 'wave',
    path: 'web',
    targetSelector: 'bench=wave',
    syncPolicy: 'auto',
    valuesRules: REGIONS.map((region) => ({
      selector: `region=${region}`,
      values: { greeting: `hello ${region}` },
    })),
    plan: {
      waves: [{ name: 'first', selector: 'tier=a', maxConcurrency: '100%' }],
      rest: { maxConcurrency: '100%' },
    },
  });
  const succeeded = (sha: string) =>
    waitFor(
      async () => {
        const { rollouts } = await gql<{
          rollouts: { edges: { node: { commit: string; state: string } }[] };
        }>(`query { rollouts(application: "wave", first: 5) { edges { node { commit state } } } }`);
        return rollouts.edges.find((e) => e.node.commit === sha && e.node.state === 'Succeeded');
      },
      { description: `rollout of ${sha.slice(0, 8)} Succeeded`, timeoutMs: 120_000, intervalMs: 50 },
    );
  const push = async (sha: string) => {
    const answer = await sendPushWebhook({
      hubUrl: hub.url,
      secret: WEBHOOK_SECRET,
      repoUrl: stack.git.url('fleet'),
      commit: sha,
    });
    if (answer.status !== 202) throw new Error(`webhook: ${answer.status} ${JSON.stringify(answer.body)}`);
  };
  await push(commit);
  await succeeded(commit);
  const webhookMs: number[] = [];
  const visibleMs: number[] = []; // per first-wave agent and round
  const renders3 = await helmRenders();
  for (let round = 1; round <= ROUNDS; round++) {
    const files = withVersion(`1.3.${round}`);
    files['web/values.yaml'] = files['web/values.yaml']!.replace(/tag: .*/, `tag: '1.27.${round}'`);
    commit = await repo.commit(files, `web chart 1.3.${round}`);
    const start = performance.now();
    await push(commit);
    webhookMs.push(performance.now() - start);
    const sha = commit;
    const times = await waitFor(
      () => {
        const byCluster = seen.get(sha);
        const wave = byCluster && [...firstWave].map((id) => byCluster.get(id));
        return wave?.every((t) => t !== undefined) ? (wave as number[]) : undefined;
      },
      { description: `first wave of round ${round} visible`, timeoutMs: 60_000, intervalMs: 5 },
    );
    visibleMs.push(...times.map((t) => t - start));
    await succeeded(commit);
  }
  const part3 = {
    agents: AGENTS,
    valueSets: REGIONS.length,
    firstWaveClusters: firstWave.size,
    rounds: ROUNDS,
    helmRendersPerRound: ((await helmRenders()) - renders3) / ROUNDS,
    webhookAnsweredMs: spread(webhookMs),
    webhookToFirstWaveVisibleMs: spread(visibleMs),
    samples: visibleMs.length,
    agentErrors: agents.reduce((n, a) => n + a.errors, 0),
  };
  say(`part 3: ${JSON.stringify(part3)}`);
  console.log(JSON.stringify({ part1, part2, part3 }, null, 2));
} catch (error) {
  console.error(error instanceof Error ? error.stack : error);
  for (const hub of stack.hubs) console.error(`--- ${hub.url}\n${hub.process.logTail(20)}`);
  process.exitCode = 1;
} finally {
  await Promise.allSettled(agents.map((a) => a.stop()));
  await sender.close();
  await stack.stop();
}

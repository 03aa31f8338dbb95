/**
 * Fleetwave installed for real: on a cluster whose node is a real kubelet (test/kube/realnode.sh:
 * containerd + runc + CNI bridge + kube-proxy), `helm install` the hub chart and the agent chart with
 * the images `npm run images` builds (imported into the node's containerd), Postgres, Kafka and git
 * from the harness on the host's address. Then, through the real kubelet:
 *
 *  - the hub Pod passes its startup/readiness probes; the agent Pod registers the cluster;
 *  - a rollout of a Deployment running a locally built HTTP server image becomes Available (its
 *    readiness probe really answers) and the rollout succeeds;
 *  - `kubectl logs` shows the agent's JSON logs;
 *  - the agent's ServiceAccount may do what the chart grants and nothing more (`kubectl auth can-i`);
 *  - the security context holds in the running containers;
 *  - deleting the agent Pod drains it, and its replacement keeps the cluster's identity (no second
 *    registration: the token allowed one use).
 *
 * Figures for bench/README.md are printed (hub start-to-ready, helm install to cluster Ready, the
 * agent Pod's memory from its cgroup); the tests assert behaviour only.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { graphqlClient, type GraphqlClient } from '../harness/graphql-client.js';
import { createRepo, type GitServer, startGitServer } from '../harness/git-server.js';
import { startKafka, type KafkaServer } from '../harness/kafka.js';
import { createDatabase, type PostgresServer, startPostgres } from '../harness/postgres.js';
import {
  ensureAppImages,
  helmOn,
  installAgentChart,
  type RealNode,
  startRealNode,
} from '../harness/real-node.js';
import { waitFor } from '../harness/wait-for.js';
import { kubeBinDir, randomSuffix, REPO_ROOT, run } from '../kube/fleet.js';

const NS = 'fleetwave-system';
const ADMIN_TOKEN = `e2e-admin-${randomSuffix(16)}`;
const CLUSTER = 'real-1';
const APP = 'web';
const APP_NS = `web-${randomSuffix()}`;
const KUBECTL = path.join(kubeBinDir(), 'kubectl');

function webBundle(image: string): string {
  return `apiVersion: v1
kind: Namespace
metadata:
  name: ${APP_NS}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${APP_NS}
spec:
  replicas: 1
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      securityContext: { runAsNonRoot: true, seccompProfile: { type: RuntimeDefault } }
      containers:
        - name: web
          image: ${image}
          imagePullPolicy: Never
          ports: [{ containerPort: 8080 }]
          readinessProbe:
            httpGet: { path: /healthz, port: 8080 }
            periodSeconds: 1
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: { drop: [ALL] }
`;
}

describe('helm install of the hub and the agent on a real node', () => {
  let node: RealNode | undefined;
  let postgres: PostgresServer | undefined;
  let kafka: KafkaServer | undefined;
  let git: GitServer | undefined;
  let workDir: string;
  let gql: GraphqlClient;
  let hubUrl: string;
  let images: Record<string, string>;
  let tokenId: string;
  let registrationToken: string;
  let clusterId: string;
  const figures: Record<string, string> = {};

  const env = (): NodeJS.ProcessEnv => ({
    ...process.env,
    KUBECONFIG: node!.kubeconfigPath,
  });
  const kubectl = async (...args: string[]): Promise<string> =>
    (await run(KUBECTL, args, { env: env(), timeoutMs: 120_000 })).stdout;
  const helm = (...args: string[]): Promise<string> => helmOn(node!, workDir)(...args);
  const json = async <T>(...args: string[]): Promise<T> =>
    JSON.parse(await kubectl(...args, '-o', 'json')) as T;

  interface Pod {
    metadata: { name: string; uid: string; creationTimestamp: string; deletionTimestamp?: string };
    spec: { containers: { name: string }[] };
    status: {
      phase: string;
      conditions?: { type: string; status: string; lastTransitionTime: string }[];
      containerStatuses?: { name: string; ready: boolean; restartCount: number }[];
    };
  }
  const pods = async (selector: string): Promise<Pod[]> =>
    (await json<{ items: Pod[] }>('get', 'pods', '-n', NS, '-l', selector)).items;
  const readyPod = (selector: string, description: string, exclude?: string): Promise<Pod> =>
    waitFor(
      async () =>
        (await pods(selector)).find(
          (p) =>
            p.metadata.name !== exclude &&
            !p.metadata.deletionTimestamp &&
            p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
        ) ?? false,
      { description, timeoutMs: 240_000, intervalMs: 500 },
    );
  const conditionAt = (pod: Pod, type: string): number =>
    Date.parse(pod.status.conditions!.find((c) => c.type === type)!.lastTransitionTime);

  async function valuesFile(name: string, values: unknown): Promise<string> {
    const file = path.join(workDir, `${name}.yaml`);
    await writeFile(file, JSON.stringify(values, null, 2));
    return file;
  }

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(os.tmpdir(), 'fw-real-node-e2e-'));
    const [imgs, started] = await Promise.all([ensureAppImages(['hub', 'agent']), startRealNode('e2e')]);
    images = imgs;
    node = started;
    // What the Pods use listens on the host's address (the Pods' default route leads there).
    const listen = { host: node.hostIp, clientCidr: node.podSubnet };
    const backends = await Promise.allSettled([
      startPostgres({ listen }),
      startKafka({ log: () => undefined, host: node.hostIp }),
      startGitServer({ root: path.join(workDir, 'git'), host: node.hostIp }),
      node.importImages([images.hub!, images.agent!]),
    ]);
    const [pg, kf, g] = backends;
    if (pg.status === 'fulfilled') postgres = pg.value;
    if (kf.status === 'fulfilled') kafka = kf.value;
    if (g.status === 'fulfilled') git = g.value;
    for (const b of backends) if (b.status === 'rejected') throw b.reason;
    await kubectl('create', 'namespace', NS);
  });

  afterAll(async () => {
    if (Object.keys(figures).length > 0)
      console.log(`real-node figures:\n${JSON.stringify(figures, null, 2)}`);
    await node?.stop();
    await Promise.allSettled([kafka?.stop(), postgres?.stop(), git?.stop()]);
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('refuses a second real node while one runs, and a name that is not a DNS label', async () => {
    await expect(startRealNode('e2e-second')).rejects.toThrow(
      /REALNODE_BUSY: real-node cluster 'e2e' is running/,
    );
    await expect(startRealNode('Not_A_Label')).rejects.toThrow(/REALNODE_BAD_NAME/);
    // The running node was left alone.
    expect(await kubectl('get', 'node', node!.nodeName, '-o', 'jsonpath={.metadata.name}')).toBe(
      node!.nodeName,
    );
  });

  it('installs the hub chart: the hub Pod passes its probes and serves the API through its Service', async () => {
    const databaseUrl = await createDatabase(postgres!.adminUrl, 'fleetwave_realnode');
    await kubectl(
      'create',
      'secret',
      'generic',
      'fleetwave-hub-database',
      '-n',
      NS,
      `--from-literal=url=${databaseUrl}`,
    );
    await kubectl(
      'create',
      'secret',
      'generic',
      'fleetwave-hub-admin',
      '-n',
      NS,
      `--from-literal=token=${ADMIN_TOKEN}`,
    );
    const values = await valuesFile('hub', {
      image: { repository: images.hub!.replace(/:[^:]+$/, ''), pullPolicy: 'Never' },
      kafka: { brokers: kafka!.brokers },
      database: { url: { existingSecret: 'fleetwave-hub-database' } },
      auth: { bootstrapAdminToken: { existingSecret: 'fleetwave-hub-admin' } },
      rollouts: { passIntervalSeconds: 1 },
      reports: { partitions: 1 },
    });
    const installed = Date.now();
    await helm('install', 'fleetwave-hub', path.join(REPO_ROOT, 'charts', 'hub'), '-n', NS, '-f', values);
    const pod = await readyPod('app.kubernetes.io/instance=fleetwave-hub', 'the hub Pod Ready');
    figures['hub Pod created → Ready (s)'] = (
      (conditionAt(pod, 'Ready') - Date.parse(pod.metadata.creationTimestamp)) /
      1000
    ).toFixed(1);
    figures['hub helm install → Pod Ready (s), includes scheduling'] = (
      (Date.now() - installed) /
      1000
    ).toFixed(1);

    const service = await json<{ spec: { clusterIP: string; ports: { port: number }[] } }>(
      'get',
      'service',
      '-n',
      NS,
      'fleetwave-hub',
    );
    hubUrl = `http://${service.spec.clusterIP}:${service.spec.ports[0]!.port}`;
    for (const probe of ['/healthz', '/readyz']) expect((await fetch(`${hubUrl}${probe}`)).status).toBe(200);
    gql = graphqlClient(hubUrl, ADMIN_TOKEN);
    const { createRegistrationToken } = await gql<{
      createRegistrationToken: { secret: string; token: { id: string } };
    }>(
      `mutation { createRegistrationToken(input: { maxUses: 1, description: "real node e2e", defaultLabels: { env: "e2e" } }) { secret token { id } } }`,
    );
    tokenId = createRegistrationToken.token.id;
    registrationToken = createRegistrationToken.secret;
  });

  it('installs the agent chart: its Pod registers the cluster, which becomes Ready in the hub', async () => {
    const installed = Date.now();
    await installAgentChart(node!, workDir, {
      namespace: NS,
      image: images.agent!,
      // No cluster DNS on this node: the hub by its Service's address.
      hubUrl,
      brokers: kafka!.brokers,
      clusterName: CLUSTER,
      labels: { node: 'real' },
      registrationToken,
      values: {
        checkJobs: { pollSeconds: 2 },
        // Least privilege: only the kinds the test's bundle holds (the default is every kind).
        rbac: {
          clusterRole: {
            fullAccess: false,
            rules: [
              {
                apiGroups: [''],
                resources: ['namespaces'],
                verbs: ['get', 'list', 'watch', 'create', 'patch', 'update', 'delete'],
              },
              {
                apiGroups: ['apps'],
                resources: ['deployments'],
                verbs: ['get', 'list', 'watch', 'create', 'patch', 'update', 'delete'],
              },
            ],
          },
        },
      },
    });
    const cluster = await waitFor(
      async () => {
        const { cluster: found } = await gql<{ cluster: { id: string; status: string } | null }>(
          `{ cluster(name: "${CLUSTER}") { id status } }`,
        );
        return found?.status === 'Ready' ? found : false;
      },
      { description: `cluster ${CLUSTER} Ready in the hub`, timeoutMs: 240_000, intervalMs: 500 },
    );
    figures['agent helm install → cluster Ready in the hub (s)'] = ((Date.now() - installed) / 1000).toFixed(
      1,
    );
    clusterId = cluster.id;
    await readyPod('app.kubernetes.io/instance=fleetwave-agent', 'the agent Pod Ready');
  });

  it('rolls out a Deployment whose container really runs: Available through the kubelet and its readiness probe', async () => {
    const repo = await createRepo(path.join(workDir, 'git'), 'fleet');
    await repo.commit({ 'deploy/web.yaml': webBundle(node!.httpdImage) }, 'web: first', {
      name: 'Ada Lovelace',
      email: 'ada@fleetwave.invalid',
    });
    await gql(`mutation($input: CreateApplicationInput!) { createApplication(input: $input) { id } }`, {
      input: {
        name: APP,
        repoUrl: git!.url('fleet'),
        ref: 'main',
        path: 'deploy',
        targetSelector: 'env=e2e',
        syncPolicy: 'auto',
        pollIntervalSeconds: 3600,
      },
    });
    const { syncApplication } = await gql<{
      syncApplication: { commit: string | null; error: string | null };
    }>(`mutation { syncApplication(name: "${APP}") { commit error } }`);
    expect(syncApplication.error).toBeNull();

    await run(KUBECTL, ['wait', '--for=create', `deployment/web`, '-n', APP_NS, '--timeout=180s'], {
      env: env(),
      timeoutMs: 200_000,
    });
    await kubectl('wait', '--for=condition=Available', 'deployment/web', '-n', APP_NS, '--timeout=120s');
    // The readiness probe answered from inside the Pod's network namespace: the server really runs.
    const podIp = await kubectl(
      'get',
      'pods',
      '-n',
      APP_NS,
      '-l',
      'app=web',
      '-o',
      'jsonpath={.items[0].status.podIP}',
    );
    expect(await (await fetch(`http://${podIp}:8080/healthz`)).text()).toBe('ok\n');

    const rollout = await waitFor(
      async () => {
        const { rollouts } = await gql<{
          rollouts: { edges: { node: { state: string; message: string | null } }[] };
        }>(`{ rollouts(application: "${APP}") { edges { node { state message } } } }`);
        const state = rollouts.edges[0]?.node;
        return state && ['Succeeded', 'Soaking', 'Failed', 'Aborted'].includes(state.state) ? state : false;
      },
      { description: 'the rollout finished', timeoutMs: 120_000, intervalMs: 500 },
    );
    expect(rollout.state).toMatch(/^(Succeeded|Soaking)$/);
  });

  it('shows the agent JSON logs through kubectl logs', async () => {
    const logs = await kubectl('logs', '-n', NS, 'deployment/fleetwave-agent', '--tail=200');
    const lines = logs.split('\n').filter((l) => l.trim() !== '');
    expect(lines.length).toBeGreaterThan(0);
    const records = lines.map((l) => JSON.parse(l) as { level: unknown; msg?: unknown });
    expect(records.every((r) => r.level !== undefined)).toBe(true);
    expect(logs).toContain(CLUSTER);
  });

  it("grants the agent's ServiceAccount what the chart says and nothing more (kubectl auth can-i)", async () => {
    const as = `--as=system:serviceaccount:${NS}:fleetwave-agent`;
    const can = async (...args: string[]): Promise<boolean> => {
      const result = await run(KUBECTL, ['auth', 'can-i', as, ...args], {
        env: env(),
        timeoutMs: 30_000,
      }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
      return result.stdout.trim() === 'yes';
    };
    // Installed narrowed (rbac.clusterRole.fullAccess=false + the kinds the bundle holds), and the
    // rollout above still applied: its own state, cluster identity and facts, those kinds; no more.
    expect(await can('get', 'secret/fleetwave-agent-identity', '-n', NS)).toBe(true);
    expect(await can('update', 'configmaps', '-n', NS)).toBe(true);
    expect(await can('get', 'namespace/kube-system')).toBe(true);
    expect(await can('list', 'nodes')).toBe(true);
    for (const verb of ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'])
      expect(await can(verb, 'deployments.apps', '-n', APP_NS)).toBe(true);
    expect(await can('get', 'secret/fleetwave-hub-database', '-n', NS)).toBe(false);
    expect(await can('list', 'secrets', '-n', NS)).toBe(false);
    expect(await can('create', 'services', '-n', APP_NS)).toBe(false);
    expect(await can('create', 'clusterroles')).toBe(false);
    expect(await can('delete', 'nodes')).toBe(false);
    expect(await can('create', 'pods/exec', '-n', NS)).toBe(false);

    // The chart's default (every kind, as the default project allows): only the verbs the agent
    // uses, plus escalate/bind for RBAC objects in bundles; no impersonation, deletecollection,
    // non-resource URLs or CSR approval.
    await helm(
      'upgrade',
      'fleetwave-agent',
      path.join(REPO_ROOT, 'charts', 'agent'),
      '-n',
      NS,
      '--reuse-values',
      '--set',
      'rbac.clusterRole.fullAccess=true',
    );
    expect(await can('get', 'secret/fleetwave-hub-database', '-n', NS)).toBe(true);
    for (const verb of ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'])
      expect(await can(verb, 'services', '-n', APP_NS)).toBe(true);
    expect(await can('escalate', 'clusterroles')).toBe(true);
    expect(await can('bind', 'roles', '-n', APP_NS)).toBe(true);
    expect(await can('impersonate', 'users')).toBe(false);
    expect(await can('impersonate', 'serviceaccounts', '-n', NS)).toBe(false);
    expect(await can('deletecollection', 'deployments.apps', '-n', APP_NS)).toBe(false);
    expect(await can('get', '/metrics')).toBe(false);
    expect(await can('approve', 'certificatesigningrequests.certificates.k8s.io')).toBe(false);
  });

  it('runs the containers as the charts say: non-root, read-only root filesystem, no capabilities', async () => {
    for (const instance of ['fleetwave-hub', 'fleetwave-agent']) {
      const [pod] = await pods(`app.kubernetes.io/instance=${instance}`);
      // A node script in the running container (the images have no shell), through the API server
      // and the kubelet.
      const inPod = (script: string) =>
        run(KUBECTL, ['exec', '-n', NS, pod!.metadata.name, '--', '/nodejs/bin/node', '-e', script], {
          env: env(),
          timeoutMs: 30_000,
        });
      const status = (
        await inPod("process.stdout.write(require('fs').readFileSync('/proc/1/status','utf8'))")
      ).stdout;
      expect(status).toMatch(/^Uid:\s+10001\s+10001\s+10001\s+10001$/m);
      expect(status).toMatch(/^CapEff:\s+0000000000000000$/m);
      expect(status).toMatch(/^NoNewPrivs:\s+1$/m);
      const write = await inPod("require('fs').writeFileSync('/probe', 'x')").then(
        () => 'written',
        (error: { stderr?: string }) => error.stderr ?? '',
      );
      expect(write).toMatch(/EROFS|read-only/);
    }
  });

  it("records the agent Pod's memory from its cgroup", async () => {
    const [pod] = await pods('app.kubernetes.io/instance=fleetwave-agent');
    const uid = pod!.metadata.uid;
    const file = `/sys/fs/cgroup/memory/kubepods/burstable/pod${uid}/memory.stat`;
    const stat = Object.fromEntries(
      readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(' ') as [string, string]),
    );
    const mib = (v: string | undefined): string => (Number(v) / 1024 / 1024).toFixed(1);
    figures['agent Pod memory (cgroup total_rss MiB)'] = mib(stat.total_rss);
    figures['agent Pod memory (cgroup usage − inactive_file MiB)'] = (
      (Number(readFileSync(file.replace('memory.stat', 'memory.usage_in_bytes'), 'utf8')) -
        Number(stat.total_inactive_file)) /
      1024 /
      1024
    ).toFixed(1);
    expect(Number(stat.total_rss)).toBeGreaterThan(0);
  });

  it('drains a deleted agent Pod; its replacement keeps the cluster identity (no second registration)', async () => {
    const [old] = await pods('app.kubernetes.io/instance=fleetwave-agent');
    // Follow the old Pod's log while it is deleted: the agent drains on SIGTERM and exits.
    const following = run(KUBECTL, ['logs', '-f', '-n', NS, old!.metadata.name], {
      env: env(),
      timeoutMs: 120_000,
    });
    await kubectl('delete', 'pod', '-n', NS, old!.metadata.name, '--wait=true', '--timeout=90s');
    const lastWords = (await following).stdout;
    expect(lastWords).toMatch(/"msg":"shutting down"/);

    const replacement = await readyPod(
      'app.kubernetes.io/instance=fleetwave-agent',
      'the replacement agent Pod Ready',
      old!.metadata.name,
    );
    expect(replacement.metadata.uid).not.toBe(old!.metadata.uid);
    const logs = await kubectl('logs', '-n', NS, replacement.metadata.name);
    const identity = logs
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg?: string; clusterId?: string })
      .find((r) => r.msg === 'identity ready');
    expect(identity?.clusterId).toBe(clusterId);

    const { cluster, registrationTokens } = await gql<{
      cluster: { id: string } | null;
      registrationTokens: { id: string; uses: number }[];
    }>(`{ cluster(name: "${CLUSTER}") { id } registrationTokens { id uses } }`);
    expect(cluster?.id).toBe(clusterId);
    // The token allowed one use and was used once: the replacement did not register again.
    expect(registrationTokens.find((t) => t.id === tokenId)?.uses).toBe(1);
    await waitFor(
      async () => {
        const { cluster: now } = await gql<{ cluster: { status: string } | null }>(
          `{ cluster(name: "${CLUSTER}") { status } }`,
        );
        return now?.status === 'Ready';
      },
      { description: 'the cluster Ready after the agent restart', timeoutMs: 120_000, intervalMs: 500 },
    );
  });
});

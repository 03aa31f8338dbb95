// The container images (npm run images): their sizes; the agent image without its configuration
// (it must fail at once, naming what is missing); the hub image against a real PostgreSQL and Kafka:
// from `podman run` to /readyz answering 200, its memory from its cgroup once ready, and SIGTERM:
// how long it takes to drain and exit, and how it exits.
// Usage: npm run images && npx tsx bench/images.ts [--version 0.1.0]
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { createDatabase, startPostgres } from '../test/harness/postgres.js';
import { startKafka } from '../test/harness/kafka.js';
import { freePort } from '../test/harness/net.js';
import { waitFor } from '../test/harness/wait-for.js';
import { run } from '../test/kube/fleet.js';
import { cgroupMemoryMiB, containerPid, imageSize, PODMAN_RUN_FLAGS } from './container.js';

const { values: args } = parseArgs({ options: { version: { type: 'string', default: '0.1.0' } } });
const hubImage = `docker.io/fleetwave/hub:${args.version}`;
const agentImage = `docker.io/fleetwave/agent:${args.version}`;
const mb = (bytes: number) => +(bytes / 1e6).toFixed(1);

// The agent with no configuration at all.
const started = performance.now();
const bare = spawnSync('podman', ['run', '--rm', ...PODMAN_RUN_FLAGS, agentImage], {
  encoding: 'utf8',
  timeout: 60_000,
});
const agentWithoutConfig = {
  exitCode: bare.status,
  ms: Math.round(performance.now() - started),
  stderr: bare.stderr.trim().split('\n'),
};

const [postgres, kafka] = await Promise.all([startPostgres(), startKafka({ log: () => undefined })]);
const name = `fw-hub-bench-${process.pid}`;
try {
  const databaseUrl = await createDatabase(postgres.adminUrl, 'images');
  const port = await freePort();
  const env = {
    HUB_DATABASE_URL: databaseUrl,
    HUB_KAFKA_BROKERS: kafka.brokers.join(','),
    HUB_HOST: '127.0.0.1',
    HUB_PORT: String(port),
    HUB_KAFKA_TOPIC_PREFIX: `images${process.pid}.`,
    LOG_LEVEL: 'info',
  };
  // As the chart runs it: read-only root, /tmp and the git dir writable.
  const runArgs = ['run', '-d', '--name', name, ...PODMAN_RUN_FLAGS, '--network', 'host', '--read-only'];
  runArgs.push(
    '--tmpfs',
    '/tmp',
    '--tmpfs',
    '/var/lib/fleetwave/git',
    '-e',
    'HUB_GIT_DIR=/var/lib/fleetwave/git',
  );
  runArgs.push(...Object.keys(env).flatMap((key) => ['-e', key]), hubImage);
  const hubStarted = performance.now();
  await run('podman', runArgs, { env: { ...process.env, ...env } });
  const ready = async () => {
    try {
      return (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200;
    } catch {
      return false;
    }
  };
  await waitFor(ready, { description: 'hub /readyz 200', timeoutMs: 180_000, intervalMs: 100 }).catch(
    async (error: unknown) => {
      const { stdout, stderr } = await run('podman', ['logs', '--tail', '30', name]);
      throw new Error(`${String(error)}\nhub log:\n${stdout}${stderr}`);
    },
  );
  const startToReadyMs = Math.round(performance.now() - hubStarted);
  const dashboard = await fetch(`http://127.0.0.1:${port}/`);
  const memoryAtReady = await cgroupMemoryMiB(await containerPid(name));
  const stopStarted = performance.now();
  await run('podman', ['stop', '--time', '30', name], { timeoutMs: 60_000 });
  const sigtermToExitMs = Math.round(performance.now() - stopStarted);
  const { stdout: exitCode } = await run('podman', ['inspect', '--format', '{{.State.ExitCode}}', name]);
  const { stdout: logs } = await run('podman', ['logs', '--tail', '3', name]);
  console.log(
    JSON.stringify(
      {
        imageSizesMB: { hub: mb(await imageSize(hubImage)), agent: mb(await imageSize(agentImage)) },
        agentWithoutConfig,
        hub: {
          startToReadyMs,
          dashboardStatus: dashboard.status,
          memoryAtReady,
          sigtermToExitMs,
          exitCode: Number(exitCode.trim()),
          lastLogLines: logs.trim().split('\n'),
        },
      },
      null,
      2,
    ),
  );
} finally {
  spawnSync('podman', ['rm', '--force', name]);
  await kafka.stop();
  await postgres.stop();
}

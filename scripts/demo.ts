// Starts a local Fleetwave: real PostgreSQL and Kafka from the test harness, and the built hub
// as its own process, configured the way a deployment configures it (environment variables).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startKafka } from '../test/harness/kafka.js';
import { freePort } from '../test/harness/net.js';
import { cacheDir, repoRoot } from '../test/harness/paths.js';
import { createDatabase, startPostgres } from '../test/harness/postgres.js';
import { type ManagedProcess, startManagedProcess } from '../test/harness/process.js';
import { waitFor } from '../test/harness/wait-for.js';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '8080' },
    // Start, check readiness, stop: a smoke run for scripts.
    'exit-when-ready': { type: 'boolean', default: false },
  },
});

const stoppers: (() => Promise<void>)[] = [];
let stopping = false;

async function stopAll(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    console.log('\nstopping Fleetwave…');
    for (const stop of stoppers.reverse())
      await stop().catch((error: unknown) => console.error(String(error)));
  }
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

async function main(): Promise<void> {
  const logDir = cacheDir('demo');
  mkdirSync(logDir, { recursive: true });

  console.log('starting PostgreSQL and Kafka…');
  const [postgres, kafka] = await Promise.all([startPostgres(), startKafka()]);
  stoppers.push(postgres.stop, kafka.stop);
  console.log(`  PostgreSQL on 127.0.0.1:${postgres.port}, Kafka on ${kafka.brokers.join(',')}`);

  const requested = Number(args.port);
  const port = (await isFree(requested)) ? requested : await freePort();
  const hub: ManagedProcess = startManagedProcess(
    'node',
    [path.join(repoRoot, 'services/hub/dist/main.js')],
    {
      logFile: path.join(logDir, 'hub.log'),
      env: {
        ...process.env,
        HUB_DATABASE_URL: await createDatabase(postgres.adminUrl, 'fleetwave'),
        HUB_KAFKA_BROKERS: kafka.brokers.join(','),
        HUB_HOST: '127.0.0.1',
        HUB_PORT: String(port),
      },
    },
  );
  stoppers.push(() => hub.stop('SIGTERM', 10_000));
  const url = `http://127.0.0.1:${port}`;
  let exited = false;
  void hub.exited().then(() => (exited = true));
  await waitFor(
    async () => {
      if (exited) throw new Error(`the hub exited:\n${hub.logTail()}`);
      return (await fetch(`${url}/readyz`)).ok;
    },
    { description: 'the hub to become ready', timeoutMs: 60_000, intervalMs: 250 },
  );

  console.log(`\nFleetwave hub ready at ${url}  (health: ${url}/healthz, readiness: ${url}/readyz)`);
  console.log(`hub logs: ${hub.logFile}`);
  if (args['exit-when-ready']) return stopAll(0);
  console.log('Ctrl-C stops everything.');
  await hub.exited();
  if (!stopping) {
    console.error(`the hub stopped unexpectedly:\n${hub.logTail()}`);
    await stopAll(1);
  }
}

async function isFree(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(500) });
    return false;
  } catch (error) {
    return (
      error instanceof TypeError &&
      String((error.cause as Error | undefined)?.message).includes('ECONNREFUSED')
    );
  }
}

main().catch(async (error: unknown) => {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  await stopAll(1);
});

import { startKafka } from '../harness/kafka.js';
import { startPostgres } from '../harness/postgres.js';
import { TEST_ENV } from './support/backing-services.js';

/**
 * Starts one real PostgreSQL and one real Kafka for the whole integration run. Workers inherit the
 * connection details through the environment; each test file then makes its own database/topics.
 */
export async function startServices(): Promise<void> {
  const started = Date.now();
  const [postgres, kafka] = await Promise.allSettled([startPostgres(), startKafka()]);
  if (postgres.status === 'rejected' || kafka.status === 'rejected') {
    if (postgres.status === 'fulfilled') await postgres.value.stop();
    if (kafka.status === 'fulfilled') await kafka.value.stop();
    const reasons = [postgres, kafka].filter((r) => r.status === 'rejected').map((r) => String(r.reason));
    throw new Error(`integration backing services did not start:\n${reasons.join('\n')}`);
  }
  process.env[TEST_ENV.postgresAdminUrl] = postgres.value.adminUrl;
  process.env[TEST_ENV.kafkaBrokers] = kafka.value.brokers.join(',');
  globalThis.__fleetwaveServices = [postgres.value, kafka.value];
  console.log(
    `\nintegration: PostgreSQL on 127.0.0.1:${postgres.value.port}, Kafka on ${kafka.value.brokers.join(',')} ` +
      `(${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
}

declare global {
  var __fleetwaveServices: { stop(): Promise<void> }[] | undefined;
}

// Measures how long the test harness takes to start and stop a real PostgreSQL and a real Kafka.
// Usage: npx tsx bench/harness-startup.ts [rounds]
import { startKafka } from '../test/harness/kafka.js';
import { startPostgres } from '../test/harness/postgres.js';

const rounds = Number(process.argv[2] ?? 3);

async function time<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await fn();
  return [value, performance.now() - started];
}

const rows: string[] = [];
for (let i = 1; i <= rounds; i++) {
  const [pg, pgStart] = await time(() => startPostgres());
  const [, pgStop] = await time(() => pg.stop());
  const [kafka, kafkaStart] = await time(() => startKafka({ log: () => undefined }));
  const [, kafkaStop] = await time(() => kafka.stop());
  rows.push(
    `| ${i} | ${(pgStart / 1000).toFixed(2)} | ${(pgStop / 1000).toFixed(2)} | ${(kafkaStart / 1000).toFixed(2)} | ${(kafkaStop / 1000).toFixed(2)} |`,
  );
}
console.log('| round | Postgres start s | Postgres stop s | Kafka start s (to admin-ready) | Kafka stop s |');
console.log('|---|---|---|---|---|');
console.log(rows.join('\n'));

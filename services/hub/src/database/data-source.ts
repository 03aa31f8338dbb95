import { migrations } from '@fleetwave/migrations';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { type SqlStatementCounter, StatementCountingLogger } from './sql-statements.js';

export interface DatabaseOptions {
  url: string;
  /** Connection pool size per hub replica. */
  poolSize?: number;
  /** TypeORM entities (the app names its features' entities: database/ knows no feature). */
  entities?: DataSourceOptions['entities'];
  /** Counts every statement the DataSource runs (the hub's /metrics and per-request SQL budget). */
  statements?: SqlStatementCounter;
}

/** The hub's only DataSource factory. The schema comes from migrations/, never from synchronize. */
export function createDataSource({
  url,
  poolSize = 10,
  entities = [],
  statements,
}: DatabaseOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    migrations,
    migrationsTableName: 'schema_migration',
    entities,
    poolSize,
    applicationName: 'fleetwave-hub',
    ...(statements && { logger: new StatementCountingLogger(statements) }),
  });
}

/** Arbitrary but fixed: every replica must ask for the same advisory lock. */
const MIGRATION_LOCK_KEY = 0x666c_7477; // "fltw"

/**
 * Runs pending migrations while holding a Postgres advisory lock, so replicas that start together
 * take turns: the first migrates, the others then find nothing pending.
 */
export async function runMigrationsExclusively(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}

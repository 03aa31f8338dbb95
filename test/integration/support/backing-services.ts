import { randomBytes } from 'node:crypto';
import { createDatabase } from '../../harness/postgres.js';

/** Environment variables through which global-setup hands the real servers to test workers. */
export const TEST_ENV = {
  postgresAdminUrl: 'FLEETWAVE_TEST_POSTGRES_ADMIN_URL',
  kafkaBrokers: 'FLEETWAVE_TEST_KAFKA_BROKERS',
} as const;

function required(name: string): string {
  const value = process.env[name];
  // No fallback to a fake: an integration test without the real server must fail loudly.
  if (!value)
    throw new Error(`${name} is not set: integration tests need the real servers from global-setup`);
  return value;
}

export function kafkaBrokers(): string[] {
  return required(TEST_ENV.kafkaBrokers).split(',');
}

/** A new, empty database on the run's PostgreSQL server, so test files never share state. */
export function createTestDatabase(prefix = 'fleetwave_it'): Promise<string> {
  return createDatabase(required(TEST_ENV.postgresAdminUrl), prefix);
}

/** A topic name no other test uses. */
export function uniqueTopic(prefix: string): string {
  return `${prefix}.${randomBytes(4).toString('hex')}`;
}

import { AsyncLocalStorage } from 'node:async_hooks';
import { AdvancedConsoleLogger, type Logger, type QueryRunner } from 'typeorm';

/** The statements counted in one scope (one GraphQL request), and what the scope is called. */
export interface StatementScope {
  statements: number;
  /** Set by whoever runs the scope once it knows (e.g. the GraphQL operation name). */
  name?: string;
}

/**
 * Counts the SQL statements the hub's DataSource sends: all of them (for a Prometheus counter),
 * and, when `perScope` asks for it, those of the current scope. A scope follows its async work
 * (awaits, DataLoader batches), so background loops running meanwhile never count towards it:
 * per-request figures are exact even on a busy hub. That takes AsyncLocalStorage, which (on Node
 * 20) turns on async hooks for every promise of the process from its first scope on, for good: a
 * measurable share of an idle hub's CPU. Hence off unless asked for (HUB_SQL_STATEMENTS_PER_REQUEST).
 */
export class SqlStatementCounter {
  private readonly scopes: AsyncLocalStorage<StatementScope> | undefined;
  private count = 0;

  constructor(perScope: boolean) {
    this.scopes = perScope ? new AsyncLocalStorage<StatementScope>() : undefined;
  }

  /** Whether scopes count (`within` is a plain call otherwise). */
  get perScope(): boolean {
    return this.scopes !== undefined;
  }

  get total(): number {
    return this.count;
  }

  record(): void {
    this.count += 1;
    const scope = this.scopes?.getStore();
    if (scope) scope.statements += 1;
  }

  /** Runs `work` in `scope`: every statement it causes is counted there too (when scopes count). */
  within<T>(scope: StatementScope, work: () => T): T {
    return this.scopes ? this.scopes.run(scope, work) : work();
  }

  /** The scope the caller runs in, if any. */
  current(): StatementScope | undefined {
    return this.scopes?.getStore();
  }
}

/**
 * TypeORM's default logger (as the hub had it: migrations and slow queries only, nothing at query
 * level) that also counts every statement. Never looks at the SQL or its parameters.
 */
export class StatementCountingLogger implements Logger {
  private readonly inner: Logger = new AdvancedConsoleLogger(undefined);

  constructor(private readonly counter: SqlStatementCounter) {}

  logQuery(query: string, parameters?: unknown[], queryRunner?: QueryRunner): void {
    this.counter.record();
    this.inner.logQuery(query, parameters, queryRunner);
  }

  logQueryError(error: string | Error, query: string, parameters?: unknown[], queryRunner?: QueryRunner) {
    this.inner.logQueryError(error, query, parameters, queryRunner);
  }

  logQuerySlow(time: number, query: string, parameters?: unknown[], queryRunner?: QueryRunner) {
    this.inner.logQuerySlow(time, query, parameters, queryRunner);
  }

  logSchemaBuild(message: string, queryRunner?: QueryRunner) {
    this.inner.logSchemaBuild(message, queryRunner);
  }

  logMigration(message: string, queryRunner?: QueryRunner) {
    this.inner.logMigration(message, queryRunner);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown, queryRunner?: QueryRunner) {
    this.inner.log(level, message, queryRunner);
  }
}

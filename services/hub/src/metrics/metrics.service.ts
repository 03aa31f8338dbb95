import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { DataSource } from 'typeorm';
import { SqlStatementCounter } from '../database/sql-statements.js';

/** Prometheus metrics of this hub replica, served at /metrics. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly reportsIngested = new Counter({
    name: 'fleetwave_reports_ingested_total',
    help: 'Reports accepted and written to Postgres.',
    registers: [this.registry],
  });

  readonly bundleStatusesRecognised = new Counter({
    name: 'fleetwave_report_bundle_statuses_recognised_total',
    help: 'Bundle statuses of accepted reports recognised by their bytes as the stored ones: not validated, read back or compared again.',
    registers: [this.registry],
  });

  readonly reportsRejected = new Counter({
    name: 'fleetwave_reports_rejected_total',
    help: 'Reports sent to the dead-letter topic, by reason.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly batchSeconds = new Histogram({
    name: 'fleetwave_report_batch_seconds',
    help: 'Time to judge, write and commit one batch of reports.',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly gcCollected = new Counter({
    name: 'fleetwave_hub_gc_collected_total',
    help: 'Rows the garbage collector deleted on this replica, by kind (bundle, artifact).',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  readonly gcCollectedBytes = new Counter({
    name: 'fleetwave_hub_gc_collected_bytes_total',
    help: 'Bytes of content the garbage collector deleted on this replica, by kind (bundle, artifact).',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  /** `rendered`: a renderer ran; `cached`: a render of the same inputs was reused; `failed`: it ran and failed. */
  readonly renders = new Counter({
    name: 'fleetwave_hub_renders_total',
    help: 'Bundle renders on this replica, by renderer kind and result (rendered, cached, failed).',
    labelNames: ['renderer', 'result'] as const,
    registers: [this.registry],
  });

  readonly renderSeconds = new Histogram({
    name: 'fleetwave_hub_render_seconds',
    help: 'Wall time of one render (a renderer run, sandbox included), by renderer kind.',
    labelNames: ['renderer'] as const,
    buckets: [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });

  /** `quiet`: the pass changed nothing and only a signal or a wake-up can move the rollout. */
  readonly rolloutPasses = new Counter({
    name: 'fleetwave_hub_rollout_passes_total',
    help: 'Engine passes run on this replica, by result (moved, unchanged, quiet, failed).',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly rolloutSweepSkips = new Counter({
    name: 'fleetwave_hub_rollout_sweep_skips_total',
    help: 'Rollouts the periodic sweep left alone: quiet since their last pass here, nothing due.',
    registers: [this.registry],
  });

  /** Per GraphQL request (auth included), by operation name: the API's SQL budget (docs/operating.md). */
  readonly graphqlSqlStatements = new Histogram({
    name: 'fleetwave_hub_graphql_sql_statements',
    help: 'SQL statements run by one GraphQL request over HTTP, by operation name.',
    labelNames: ['operation'] as const,
    buckets: [0, 1, 2, 3, 5, 10, 25, 50, 100, 250],
    registers: [this.registry],
  });

  /** GraphQL answers served from memory (hit), computed and kept (miss), or not cacheable (pass). */
  readonly graphqlResponseCache = new Counter({
    name: 'fleetwave_hub_graphql_response_cache_total',
    help: 'GraphQL requests over HTTP by response cache result: hit, miss (computed and kept) or pass.',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  constructor(
    @Inject(DataSource) dataSource: DataSource,
    @Inject(SqlStatementCounter) statements: SqlStatementCounter,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'fleetwave_hub_' });
    new Counter({
      name: 'fleetwave_hub_sql_statements_total',
      help: 'SQL statements the hub sent to Postgres (every caller: API, agents, consumers, loops).',
      registers: [this.registry],
      // Read at scrape time: the DataSource counts with a plain number, so statements cost no more.
      collect() {
        this.reset();
        this.inc(statements.total);
      },
    });
    new Gauge({
      name: 'fleetwave_clusters',
      help: 'Registered clusters by status.',
      labelNames: ['status'] as const,
      registers: [this.registry],
      // Computed at scrape time from Postgres, so every replica reports the same fleet-wide figure.
      async collect() {
        const rows = await dataSource.query<{ status: string; n: number }[]>(
          `SELECT status, count(*)::int AS n FROM cluster GROUP BY status`,
        );
        this.reset();
        for (const status of ['Pending', 'Ready', 'NotReady', 'Unknown', 'Offline']) {
          this.set({ status }, rows.find((r) => r.status === status)?.n ?? 0);
        }
      },
    });
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { type Admin } from 'kafkajs';
import { DataSource } from 'typeorm';
import { KAFKA_ADMIN } from '../kafka/kafka.module.js';

export type CheckResult = { ok: true } | { ok: false; error: string };

export interface ReadinessReport {
  ready: boolean;
  checks: { postgres: CheckResult; kafka: CheckResult };
}

const CHECK_TIMEOUT_MS = 3_000;

@Injectable()
export class ReadinessService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(KAFKA_ADMIN) private readonly kafkaAdmin: Admin,
  ) {}

  async check(): Promise<ReadinessReport> {
    const [postgres, kafka] = await Promise.all([
      probe(() => this.dataSource.query('SELECT 1')),
      probe(async () => {
        await this.kafkaAdmin.connect();
        await this.kafkaAdmin.describeCluster();
      }),
    ]);
    return { ready: postgres.ok && kafka.ok, checks: { postgres, kafka } };
  }
}

async function probe(check: () => Promise<unknown>): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
          CHECK_TIMEOUT_MS,
        );
      }),
    ]);
    return { ok: true };
  } catch (error) {
    // The message only: driver errors can carry connection strings in their details.
    return { ok: false, error: error instanceof Error ? error.message : 'unreachable' };
  } finally {
    clearTimeout(timer);
  }
}

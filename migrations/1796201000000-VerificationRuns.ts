import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Verification check runs: one row per attempt of a check against one target (a wave cluster, the
 * wave, or the updated-vs-baseline cohorts). `result` is null while the attempt runs; `final` marks
 * the attempt whose result is the check's for that target. Messages never hold URL userinfo.
 */
export class VerificationRuns1796201000000 implements MigrationInterface {
  name = 'VerificationRuns1796201000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE verification_runs (
        id          bigserial PRIMARY KEY,
        rollout_id  uuid NOT NULL REFERENCES rollout (id) ON DELETE CASCADE,
        wave        varchar(63) NOT NULL,
        check_name  varchar(63) NOT NULL,
        kind        varchar(32) NOT NULL,
        target      varchar(255) NOT NULL,
        attempt     integer NOT NULL CHECK (attempt >= 1),
        final       boolean NOT NULL DEFAULT false,
        result      varchar(8) CHECK (result IN ('passed', 'failed', 'error')),
        message     text NOT NULL DEFAULT '',
        started_at  timestamptz NOT NULL,
        finished_at timestamptz,
        duration_ms integer,
        CONSTRAINT verification_runs_once UNIQUE (rollout_id, wave, check_name, target, attempt)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE verification_runs`);
  }
}

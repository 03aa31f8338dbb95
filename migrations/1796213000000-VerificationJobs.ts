import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Verification runs that an agent carries out (`job` checks: the Job spec the hub templated for the
 * cluster, and the outcome the agent reported), and the lease of the hub replica running an
 * attempt, so another (or the restarted) replica takes over an attempt whose runner went away.
 */
export class VerificationJobs1796213000000 implements MigrationInterface {
  name = 'VerificationJobs1796213000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE verification_runs
        ADD COLUMN job jsonb,
        ADD COLUMN job_outcome jsonb,
        ADD COLUMN leased_by varchar(255),
        ADD COLUMN lease_until timestamptz`);
    // The agents' poll: a cluster's Jobs the hub waits for.
    await queryRunner.query(`
      CREATE INDEX verification_runs_pending_jobs ON verification_runs (target)
        WHERE job IS NOT NULL AND result IS NULL AND job_outcome IS NULL`);
    // Takeover: attempts still running.
    await queryRunner.query(`
      CREATE INDEX verification_runs_running ON verification_runs (lease_until) WHERE result IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX verification_runs_running`);
    await queryRunner.query(`DROP INDEX verification_runs_pending_jobs`);
    await queryRunner.query(
      `ALTER TABLE verification_runs DROP COLUMN job, DROP COLUMN job_outcome, DROP COLUMN leased_by, DROP COLUMN lease_until`,
    );
  }
}

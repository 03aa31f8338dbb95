import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Leaving clusters are cleaned up explicitly. `placement_withdrawal` holds one tombstone per
 * (cluster, application) whose placement ended: the agent is sent it until its status report lists
 * the application in `removed`. The application's name is kept on the row (that is what the agent
 * knows), with the deletion policy, why and by whom.
 *
 * Applications get a deletion policy setting (used when a placement ends by labels or target) and a
 * deletion state: requested (Deleting, until every cluster confirmed), then deleted — kept as a row
 * so its rollouts, revisions and audit trail stay queryable; its name is unique only among
 * applications not deleted. Clusters get a deregistration state (Deregistering until every
 * tombstone is confirmed; the row is then deleted).
 */
export class Withdrawals1796190000000 implements MigrationInterface {
  name = 'Withdrawals1796190000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE application
        ADD COLUMN deletion_policy varchar(8) NOT NULL DEFAULT 'prune' CHECK (deletion_policy IN ('prune', 'orphan')),
        ADD COLUMN deletion_requested_at timestamptz,
        ADD COLUMN deletion_requested_by varchar(255),
        ADD COLUMN deletion_requested_policy varchar(8) CHECK (deletion_requested_policy IN ('prune', 'orphan')),
        ADD COLUMN deleted_at timestamptz,
        ADD CONSTRAINT application_deletion_requested
          CHECK ((deletion_requested_at IS NULL) = (deletion_requested_policy IS NULL)
                 AND (deleted_at IS NULL OR deletion_requested_at IS NOT NULL))`);
    await queryRunner.query(`ALTER TABLE application DROP CONSTRAINT application_name_key`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX application_name_live ON application (name) WHERE deleted_at IS NULL`,
    );
    await queryRunner.query(`
      ALTER TABLE cluster
        ADD COLUMN deregistration_requested_at timestamptz,
        ADD COLUMN deregistration_requested_by varchar(255),
        ADD COLUMN deregistration_policy varchar(8) CHECK (deregistration_policy IN ('prune', 'orphan')),
        ADD CONSTRAINT cluster_deregistration_both_or_neither
          CHECK ((deregistration_requested_at IS NULL) = (deregistration_policy IS NULL))`);
    await queryRunner.query(`
      CREATE TABLE placement_withdrawal (
        cluster_id       uuid NOT NULL REFERENCES cluster (id) ON DELETE CASCADE,
        application_id   uuid NOT NULL REFERENCES application (id) ON DELETE CASCADE,
        application_name varchar(63) NOT NULL,
        deletion_policy  varchar(8) NOT NULL CHECK (deletion_policy IN ('prune', 'orphan')),
        reason           varchar(16) NOT NULL CHECK (reason IN ('labels', 'target', 'deregistered', 'deleted')),
        actor            varchar(255) NOT NULL,
        withdrawn_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (cluster_id, application_id)
      )`);
    await queryRunner.query(
      `CREATE INDEX placement_withdrawal_application_idx ON placement_withdrawal (application_id)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE placement_withdrawal`);
    await queryRunner.query(`
      ALTER TABLE cluster
        DROP CONSTRAINT cluster_deregistration_both_or_neither,
        DROP COLUMN deregistration_policy,
        DROP COLUMN deregistration_requested_by,
        DROP COLUMN deregistration_requested_at`);
    // Deleted applications (kept for their history) would break the old unique name: they go.
    await queryRunner.query(`DELETE FROM application WHERE deleted_at IS NOT NULL`);
    await queryRunner.query(`DROP INDEX application_name_live`);
    await queryRunner.query(`ALTER TABLE application ADD CONSTRAINT application_name_key UNIQUE (name)`);
    await queryRunner.query(`
      ALTER TABLE application
        DROP CONSTRAINT application_deletion_requested,
        DROP COLUMN deleted_at,
        DROP COLUMN deletion_requested_policy,
        DROP COLUMN deletion_requested_by,
        DROP COLUMN deletion_requested_at,
        DROP COLUMN deletion_policy`);
  }
}

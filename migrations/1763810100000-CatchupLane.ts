import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The catch-up lane: a rollout kind `catchup` (joining clusters brought to the settled revision) and
 * each application's join policy (what a cluster joining during a rollout gets).
 */
export class CatchupLane1763810100000 implements MigrationInterface {
  name = 'CatchupLane1763810100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE rollout DROP CONSTRAINT rollout_kind_check`);
    await queryRunner.query(
      `ALTER TABLE rollout ADD CONSTRAINT rollout_kind_check CHECK (kind IN ('rollout', 'rollback', 'catchup'))`,
    );
    await queryRunner.query(
      `ALTER TABLE application ADD COLUMN join_policy varchar(16) NOT NULL DEFAULT 'wave'
         CHECK (join_policy IN ('wave', 'settled'))`,
    );
    // The lane looks up, per application, which clusters a catch-up already tried at a commit.
    await queryRunner.query(
      `CREATE INDEX rollout_catchup_idx ON rollout (application_id, commit) WHERE kind = 'catchup'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX rollout_catchup_idx`);
    await queryRunner.query(`ALTER TABLE application DROP COLUMN join_policy`);
    await queryRunner.query(`DELETE FROM rollout WHERE kind = 'catchup'`);
    await queryRunner.query(`ALTER TABLE rollout DROP CONSTRAINT rollout_kind_check`);
    await queryRunner.query(
      `ALTER TABLE rollout ADD CONSTRAINT rollout_kind_check CHECK (kind IN ('rollout', 'rollback'))`,
    );
  }
}

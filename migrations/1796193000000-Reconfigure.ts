import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Label and values changes go through the plan: a rollout kind `reconfigure` (the settled commit
 * again, for the clusters whose bundle of it changed), and for manual-sync applications the number
 * of clusters whose bundle would change (`out_of_sync_clusters`, kept by the hub as it looks).
 */
export class Reconfigure1796193000000 implements MigrationInterface {
  name = 'Reconfigure1796193000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE rollout DROP CONSTRAINT rollout_kind_check`);
    await queryRunner.query(
      `ALTER TABLE rollout ADD CONSTRAINT rollout_kind_check
         CHECK (kind IN ('rollout', 'rollback', 'catchup', 'reconfigure'))`,
    );
    await queryRunner.query(
      `ALTER TABLE application ADD COLUMN out_of_sync_clusters integer NOT NULL DEFAULT 0`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE application DROP COLUMN out_of_sync_clusters`);
    await queryRunner.query(`DELETE FROM rollout WHERE kind = 'reconfigure'`);
    await queryRunner.query(`ALTER TABLE rollout DROP CONSTRAINT rollout_kind_check`);
    await queryRunner.query(
      `ALTER TABLE rollout ADD CONSTRAINT rollout_kind_check CHECK (kind IN ('rollout', 'rollback', 'catchup'))`,
    );
  }
}

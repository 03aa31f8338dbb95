import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Watch after success: the clusters that degraded while a Succeeded rollout was watched (cluster
 * id, name, reason, when), each recorded once, so its event and rollback happen once.
 */
export class RolloutWatch1796202000000 implements MigrationInterface {
  name = 'RolloutWatch1796202000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE rollout ADD COLUMN watch_degraded jsonb NOT NULL DEFAULT '[]'::jsonb`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE rollout DROP COLUMN watch_degraded`);
  }
}

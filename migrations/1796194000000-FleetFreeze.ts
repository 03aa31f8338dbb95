import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The fleet-wide freeze (at most one row: while it holds, no rollout's next wave and no catch-up
 * starts; it lifts by itself at `until`), and per rollout the admin who let it past a freeze.
 * Unfreeze deletes the row; the audit trail keeps the history.
 */
export class FleetFreeze1796194000000 implements MigrationInterface {
  name = 'FleetFreeze1796194000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE fleet_freeze (
        id        boolean PRIMARY KEY DEFAULT true CHECK (id),
        reason    text NOT NULL,
        frozen_by text NOT NULL,
        since     timestamptz NOT NULL,
        until     timestamptz
      )`);
    await queryRunner.query(`
      ALTER TABLE rollout ADD COLUMN freeze_overridden_by text, ADD COLUMN freeze_overridden_at timestamptz`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE rollout DROP COLUMN freeze_overridden_by, DROP COLUMN freeze_overridden_at`,
    );
    await queryRunner.query(`DROP TABLE fleet_freeze`);
  }
}

import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A cluster's current maintenance, from its newest accepted report (both null: not in maintenance).
 * `since` is the agent's, so the hub shows when maintenance began rather than when it heard of it.
 */
export class ClusterMaintenance1763809200000 implements MigrationInterface {
  name = 'ClusterMaintenance1763809200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE cluster
        ADD COLUMN maintenance_reason text,
        ADD COLUMN maintenance_since timestamptz,
        ADD CONSTRAINT cluster_maintenance_both_or_neither
          CHECK ((maintenance_reason IS NULL) = (maintenance_since IS NULL))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE cluster
        DROP CONSTRAINT cluster_maintenance_both_or_neither,
        DROP COLUMN maintenance_since,
        DROP COLUMN maintenance_reason`);
  }
}

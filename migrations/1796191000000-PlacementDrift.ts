import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Drift corrections per (cluster, application) as the hub counted them from reports, for the fleet
 * status matrix and the rate-limited `placement.driftCorrected` event. Agents report a count that
 * restarts with each bundle and each agent process, so the hub keeps its own:
 * - `placement_drift`: the total, and the event rate limit (when the last event went out and how many
 *   corrections were seen since, not yet carried by an event);
 * - `placement_drift_minute`: corrections per minute, so "in the last hour" is a sum over at most 60
 *   rows per pair; ingestion deletes rows older than an hour.
 * Keyed like cluster_bundle_status (cluster id, application name).
 */
export class PlacementDrift1796191000000 implements MigrationInterface {
  name = 'PlacementDrift1796191000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE placement_drift (
        cluster_id    uuid NOT NULL REFERENCES cluster (id) ON DELETE CASCADE,
        application   varchar(63) NOT NULL,
        total         bigint NOT NULL DEFAULT 0,
        last_at       timestamptz,
        last_event_at timestamptz,
        unannounced   integer NOT NULL DEFAULT 0,
        PRIMARY KEY (cluster_id, application)
      )`);
    await queryRunner.query(`
      CREATE TABLE placement_drift_minute (
        cluster_id  uuid NOT NULL REFERENCES cluster (id) ON DELETE CASCADE,
        application varchar(63) NOT NULL,
        minute      timestamptz NOT NULL,
        corrections integer NOT NULL,
        PRIMARY KEY (cluster_id, application, minute)
      )`);
    await queryRunner.query(
      `CREATE INDEX placement_drift_minute_minute_idx ON placement_drift_minute (minute)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE placement_drift_minute`);
    await queryRunner.query(`DROP TABLE placement_drift`);
  }
}

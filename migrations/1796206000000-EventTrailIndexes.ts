import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The audit trail is read by time (`events(since, until)`) and by actor, and expired by time
 * (HUB_EVENT_RETENTION_DAYS): without these each of those scans the whole trail.
 */
export class EventTrailIndexes1796206000000 implements MigrationInterface {
  name = 'EventTrailIndexes1796206000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX event_occurred_at_idx ON event (occurred_at)`);
    await queryRunner.query(`CREATE INDEX event_actor_idx ON event (actor, id DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX event_actor_idx`);
    await queryRunner.query(`DROP INDEX event_occurred_at_idx`);
  }
}

import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Notification subscriptions (an application or all, event kinds, a receiver URL and format, the
 * HMAC secret stored as given: the hub needs it to sign, so it cannot be hashed) and their
 * deliveries: one row per (event, subscription), so an event the consumer sees again is recorded
 * once; deleting a subscription deletes its delivery log.
 */
export class Notifications1796200000000 implements MigrationInterface {
  name = 'Notifications1796200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE notification_subscription (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        application text,
        kinds       text[] NOT NULL CHECK (cardinality(kinds) > 0),
        format      text NOT NULL CHECK (format IN ('webhook', 'slack')),
        url         text NOT NULL,
        secret      text,
        created_by  text NOT NULL,
        created_at  timestamptz NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE notification_delivery (
        id               bigserial PRIMARY KEY,
        subscription_id  uuid NOT NULL REFERENCES notification_subscription (id) ON DELETE CASCADE,
        event_id         text NOT NULL,
        kind             text NOT NULL,
        body             text NOT NULL,
        status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts         integer NOT NULL DEFAULT 0,
        next_attempt_at  timestamptz,
        claimed_until    timestamptz,
        last_status_code integer,
        last_error       text,
        delivered_at     timestamptz,
        created_at       timestamptz NOT NULL,
        CONSTRAINT notification_delivery_once UNIQUE (event_id, subscription_id)
      )`);
    await queryRunner.query(`
      CREATE INDEX notification_delivery_due_idx ON notification_delivery (next_attempt_at)
        WHERE status = 'pending'`);
    await queryRunner.query(`
      CREATE INDEX notification_delivery_log_idx ON notification_delivery (subscription_id, id DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE notification_delivery`);
    await queryRunner.query(`DROP TABLE notification_subscription`);
  }
}

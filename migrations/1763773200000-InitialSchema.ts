import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The cluster registry and the audit trail: the two tables everything else hangs off.
 * Labels are jsonb with a GIN index so label-selector queries stay indexed at 10,000+ clusters.
 */
export class InitialSchema1763773200000 implements MigrationInterface {
  name = 'InitialSchema1763773200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE cluster (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name             varchar(63) NOT NULL,
        kube_system_uid  varchar(64) NOT NULL,
        labels           jsonb NOT NULL DEFAULT '{}'::jsonb,
        facts            jsonb NOT NULL DEFAULT '{}'::jsonb,
        status           varchar(16) NOT NULL DEFAULT 'Pending'
                         CHECK (status IN ('Pending', 'Ready', 'NotReady', 'Unknown', 'Offline')),
        cordoned         boolean NOT NULL DEFAULT false,
        agent_version    varchar(64),
        last_heartbeat_at timestamptz,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT cluster_name_unique UNIQUE (name),
        CONSTRAINT cluster_kube_system_uid_unique UNIQUE (kube_system_uid)
      )`);
    await queryRunner.query(`CREATE INDEX cluster_labels_gin ON cluster USING gin (labels jsonb_path_ops)`);
    await queryRunner.query(`CREATE INDEX cluster_status_idx ON cluster (status)`);
    await queryRunner.query(`
      CREATE TABLE event (
        id          bigserial PRIMARY KEY,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        actor       varchar(255) NOT NULL,
        action      varchar(64) NOT NULL,
        target_kind varchar(32) NOT NULL,
        target_id   varchar(255) NOT NULL,
        before      jsonb,
        after       jsonb
      )`);
    await queryRunner.query(`CREATE INDEX event_target_idx ON event (target_kind, target_id, id DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE event`);
    await queryRunner.query(`DROP TABLE cluster`);
  }
}

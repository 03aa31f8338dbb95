import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Registration tokens, per-cluster credentials and report-signing keys, API tokens with roles,
 * and the per-bundle status that agents report. Every secret the hub only has to recognise is
 * stored as a sha256 digest; the report-signing key must be stored as is, since the hub verifies
 * HMACs with it.
 */
export class RegistrationAndReports1763780400000 implements MigrationInterface {
  name = 'RegistrationAndReports1763780400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE registration_token (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        description    varchar(255) NOT NULL DEFAULT '',
        token_hash     char(64) NOT NULL,
        default_labels jsonb NOT NULL DEFAULT '{}'::jsonb,
        expires_at     timestamptz,
        max_uses       integer CHECK (max_uses IS NULL OR max_uses > 0),
        uses           integer NOT NULL DEFAULT 0,
        revoked_at     timestamptz,
        created_by     varchar(255) NOT NULL,
        created_at     timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT registration_token_hash_unique UNIQUE (token_hash)
      )`);
    await queryRunner.query(`
      ALTER TABLE cluster
        ADD COLUMN credential_hash  char(64),
        ADD COLUMN signing_key      varchar(128),
        ADD COLUMN last_seq         bigint NOT NULL DEFAULT -1,
        ADD COLUMN registered_with  uuid REFERENCES registration_token (id) ON DELETE SET NULL,
        ADD CONSTRAINT cluster_credential_hash_unique UNIQUE (credential_hash)`);
    await queryRunner.query(`CREATE INDEX cluster_last_heartbeat_idx ON cluster (last_heartbeat_at)`);
    await queryRunner.query(`
      CREATE TABLE api_token (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name         varchar(63) NOT NULL,
        token_hash   char(64) NOT NULL,
        role         varchar(16) NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
        created_by   varchar(255) NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        revoked_at   timestamptz,
        CONSTRAINT api_token_hash_unique UNIQUE (token_hash)
      )`);
    await queryRunner.query(`
      CREATE TABLE cluster_bundle_status (
        cluster_id        uuid NOT NULL REFERENCES cluster (id) ON DELETE CASCADE,
        application       varchar(63) NOT NULL,
        digest            varchar(71) NOT NULL,
        commit            char(40) NOT NULL,
        phase             varchar(16) NOT NULL,
        ready             integer NOT NULL,
        total             integer NOT NULL,
        failing           jsonb NOT NULL DEFAULT '[]'::jsonb,
        drift_corrections integer NOT NULL DEFAULT 0,
        observed_at       timestamptz NOT NULL,
        updated_at        timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (cluster_id, application)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE cluster_bundle_status`);
    await queryRunner.query(`DROP TABLE api_token`);
    await queryRunner.query(`DROP INDEX cluster_last_heartbeat_idx`);
    await queryRunner.query(`
      ALTER TABLE cluster
        DROP COLUMN registered_with, DROP COLUMN last_seq, DROP COLUMN signing_key, DROP COLUMN credential_hash`);
    await queryRunner.query(`DROP TABLE registration_token`);
  }
}

import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Scoped, expiring credentials. API tokens get an optional expiry and a last-used time. A cluster's
 * credential gets an expiry and a revocation time, and keeps its previous credential and signing key
 * for a grace period after a rotation (until `previous_valid_until`), so reports signed just before
 * the rotation and an agent that crashed before saving its new credential are not lost.
 * Rows from before this migration have no expiry (null): their agents rotate on their next start.
 */
export class ExpiringCredentials1796215000000 implements MigrationInterface {
  name = 'ExpiringCredentials1796215000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE api_token
        ADD COLUMN expires_at   timestamptz,
        ADD COLUMN last_used_at timestamptz`);
    await queryRunner.query(`
      ALTER TABLE cluster
        ADD COLUMN credential_expires_at    timestamptz,
        ADD COLUMN credential_revoked_at    timestamptz,
        ADD COLUMN previous_credential_hash char(64),
        ADD COLUMN previous_signing_key     varchar,
        ADD COLUMN previous_valid_until     timestamptz,
        ADD CONSTRAINT cluster_previous_credential_hash_unique UNIQUE (previous_credential_hash)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE cluster
        DROP CONSTRAINT cluster_previous_credential_hash_unique,
        DROP COLUMN previous_valid_until,
        DROP COLUMN previous_signing_key,
        DROP COLUMN previous_credential_hash,
        DROP COLUMN credential_revoked_at,
        DROP COLUMN credential_expires_at`);
    await queryRunner.query(`ALTER TABLE api_token DROP COLUMN last_used_at, DROP COLUMN expires_at`);
  }
}

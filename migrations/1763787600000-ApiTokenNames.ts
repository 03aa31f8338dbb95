import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * An API token's name is how the audit trail names its actor (`token:<name>`), so two active tokens
 * must never share one. Revoked tokens keep their rows (the trail refers to them) and free the name.
 */
export class ApiTokenNames1763787600000 implements MigrationInterface {
  name = 'ApiTokenNames1763787600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE UNIQUE INDEX api_token_active_name_unique ON api_token (name) WHERE revoked_at IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX api_token_active_name_unique`);
  }
}

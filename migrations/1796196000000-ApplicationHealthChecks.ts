import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Per-application custom health rules (CEL expressions over an object, by apiVersion group and kind;
 * Flux's `healthCheckExprs` shape), carried in every assignment of the application. Existing
 * applications have none.
 */
export class ApplicationHealthChecks1796196000000 implements MigrationInterface {
  name = 'ApplicationHealthChecks1796196000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE application ADD COLUMN health_checks jsonb NOT NULL DEFAULT '[]'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE application DROP COLUMN health_checks`);
  }
}

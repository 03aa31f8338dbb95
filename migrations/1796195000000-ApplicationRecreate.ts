import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * `application.recreate`: whether agents may delete and re-create an object whose apply is refused
 * because a field is immutable (`never`; `annotated`, the default: only objects annotated
 * `fleetwave.io/recreate: "true"`; `always`). Assignments carry it to the agents.
 */
export class ApplicationRecreate1796195000000 implements MigrationInterface {
  name = 'ApplicationRecreate1796195000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE application ADD COLUMN recreate varchar(16) NOT NULL DEFAULT 'annotated'
         CHECK (recreate IN ('never', 'annotated', 'always'))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE application DROP COLUMN recreate`);
  }
}

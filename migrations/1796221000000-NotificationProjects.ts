import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A notification subscription may select one project's applications (`project`) instead of one
 * application or all of them; never both. Like `application`, it names the project without a
 * foreign key: a subscription outlives what it names (and hears nothing more once that is gone).
 */
export class NotificationProjects1796221000000 implements MigrationInterface {
  name = 'NotificationProjects1796221000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE notification_subscription
        ADD COLUMN project varchar(63),
        ADD CONSTRAINT notification_subscription_one_scope CHECK (application IS NULL OR project IS NULL)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE notification_subscription
        DROP CONSTRAINT notification_subscription_one_scope,
        DROP COLUMN project`);
  }
}

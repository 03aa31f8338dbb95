import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Projects (docs/projects.md): members with a role each, allowed source repositories, a cluster
 * selector, namespaces and kinds. Every application belongs to one; the `default` project allows
 * everything, so installs that predate projects keep working unchanged. An application row keeps
 * its project after it was deleted; deleting a project (refused while live applications name it)
 * moves such rows to `default`. An API token may be bound to one project (`api_token.project`, no
 * foreign key: a token bound to a deleted project reaches nothing).
 */
export class Projects1796214000000 implements MigrationInterface {
  name = 'Projects1796214000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE project (
        name varchar(63) PRIMARY KEY,
        description varchar(1024) NOT NULL DEFAULT '',
        source_repos jsonb NOT NULL,
        cluster_selector varchar(4096) NOT NULL DEFAULT '',
        namespaces jsonb NOT NULL,
        kinds jsonb NOT NULL,
        cluster_kinds jsonb NOT NULL,
        members jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      INSERT INTO project (name, description, source_repos, cluster_selector, namespaces, kinds, cluster_kinds)
      VALUES ('default', 'Allows everything: applications that name no project belong here.',
              '["*"]', '', '["*"]', '["*"]', '["*"]')`);
    await queryRunner.query(`
      ALTER TABLE application ADD COLUMN project varchar(63) NOT NULL DEFAULT 'default'
        REFERENCES project (name) ON DELETE SET DEFAULT`);
    await queryRunner.query(
      `CREATE INDEX application_project_idx ON application (project) WHERE deleted_at IS NULL`,
    );
    await queryRunner.query(`ALTER TABLE api_token ADD COLUMN project varchar(63)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE api_token DROP COLUMN project`);
    await queryRunner.query(`DROP INDEX application_project_idx`);
    await queryRunner.query(`ALTER TABLE application DROP COLUMN project`);
    await queryRunner.query(`DROP TABLE project`);
  }
}

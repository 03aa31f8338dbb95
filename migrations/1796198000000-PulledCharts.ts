import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Charts from Helm repositories and OCI registries: the application's `chart` (repository, name,
 * version or range, credentialsRef; null: the source is git's alone), and what a revision of such an
 * application was made of. Its `commit` stays the revision's key: the git commit for an application
 * without a pulled chart, else sha1 of the commit and the chart (git/charts/chart-source.ts), so a
 * new chart version at the same commit is a new revision; `git_commit` then holds the real commit.
 */
export class PulledCharts1796198000000 implements MigrationInterface {
  name = 'PulledCharts1796198000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE application ADD COLUMN chart jsonb`);
    await queryRunner.query(`
      ALTER TABLE revision
        ADD COLUMN git_commit char(40),
        ADD COLUMN chart_name text,
        ADD COLUMN chart_version text,
        ADD COLUMN chart_digest text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE revision
        DROP COLUMN git_commit, DROP COLUMN chart_name, DROP COLUMN chart_version, DROP COLUMN chart_digest`);
    await queryRunner.query(`ALTER TABLE application DROP COLUMN chart`);
  }
}

import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Real repositories: structured values (a YAML object per application; rules' values may nest),
 * values files from the repository, Helm settings, `auto` as the renderer every application gets
 * unless it names one (the source decides: Chart.yaml, kustomization.yaml, plain YAML; no existing
 * application's source could have rendered as a chart or an overlay under the template renderer),
 * and the render cache: which bundle a render of one distinct input produced, so 1,000 clusters
 * with 3 value sets cost 3 renders across rollouts, replicas and restarts.
 */
export class StructuredSources1796197000000 implements MigrationInterface {
  name = 'StructuredSources1796197000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE application
        ADD COLUMN values jsonb NOT NULL DEFAULT '{}'::jsonb,
        ADD COLUMN values_files jsonb NOT NULL DEFAULT '[]'::jsonb,
        ADD COLUMN helm jsonb NOT NULL DEFAULT '{"releaseName": null, "includeCRDs": true}'::jsonb,
        ALTER COLUMN renderer SET DEFAULT 'auto'`);
    await queryRunner.query(`UPDATE application SET renderer = 'auto' WHERE renderer = 'template'`);
    await queryRunner.query(`
      CREATE TABLE render_cache (
        key        text PRIMARY KEY,
        renderer   varchar(32) NOT NULL,
        digest     text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE render_cache`);
    await queryRunner.query(`UPDATE application SET renderer = 'template' WHERE renderer = 'auto'`);
    await queryRunner.query(`
      ALTER TABLE application
        DROP COLUMN values, DROP COLUMN values_files, DROP COLUMN helm,
        ALTER COLUMN renderer SET DEFAULT 'template'`);
  }
}

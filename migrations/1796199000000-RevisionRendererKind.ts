import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The renderer a revision's source resolved to (`renderer: auto` is decided by the files: a
 * `Chart.yaml`, a kustomization, plain YAML). A Helm revision's objects that name no namespace go to
 * its release namespace (`default` unless the application sets one), as `helm install` puts them;
 * assignments read it from here. Revisions recorded before have none (as before). And how the
 * revision's last render for a rollout went: `render-failed: <the tool's first error lines>` while
 * it fails for some cluster (nothing of it rolls out), null once a render works.
 */
export class RevisionRendererKind1796199000000 implements MigrationInterface {
  name = 'RevisionRendererKind1796199000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE revision ADD COLUMN renderer_kind varchar(32), ADD COLUMN render_error text`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE revision DROP COLUMN renderer_kind, DROP COLUMN render_error`);
  }
}

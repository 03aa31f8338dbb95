import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Vetoed commits of an application: never rolled out automatically, and only with force by hand.
 * Keyed by commit alone (no reference to revision), so a commit can be vetoed before the hub has
 * fetched it and the veto outlives any clean-up of revisions. Unveto deletes the row; the audit
 * trail keeps the history.
 */
export class RevisionVetoes1796187600000 implements MigrationInterface {
  name = 'RevisionVetoes1796187600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE revision_veto (
        application_id uuid NOT NULL REFERENCES application (id) ON DELETE CASCADE,
        commit         char(40) NOT NULL,
        reason         text NOT NULL,
        actor          text NOT NULL,
        vetoed_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (application_id, commit)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE revision_veto`);
  }
}

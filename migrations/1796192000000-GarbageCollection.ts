import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Bounded storage and `allowEmpty`:
 * - a revision whose artifact was garbage-collected keeps its history row, without the digest, and
 *   says when its source went (`source_collected_at`);
 * - an assignment can only point at a stored bundle (a foreign key): no collection, however it is
 *   written, can remove a bundle a cluster is told to fetch;
 * - indexes for the collector (oldest first; references by digest);
 * - `application.allow_empty`: whether a render that produces no object may be rolled out.
 */
export class GarbageCollection1796192000000 implements MigrationInterface {
  name = 'GarbageCollection1796192000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE application ADD COLUMN allow_empty boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE revision ADD COLUMN source_collected_at timestamptz`);
    await queryRunner.query(`ALTER TABLE revision DROP CONSTRAINT revision_source_or_error`);
    await queryRunner.query(`
      ALTER TABLE revision ADD CONSTRAINT revision_source_or_error
        CHECK (artifact_digest IS NOT NULL OR error IS NOT NULL OR source_collected_at IS NOT NULL)`);
    await queryRunner.query(`CREATE INDEX revision_artifact_idx ON revision (artifact_digest)`);
    await queryRunner.query(`CREATE INDEX cluster_assignment_digest_idx ON cluster_assignment (digest)`);
    await queryRunner.query(`
      ALTER TABLE cluster_assignment ADD CONSTRAINT cluster_assignment_bundle_fkey
        FOREIGN KEY (digest) REFERENCES bundle (digest)`);
    await queryRunner.query(`CREATE INDEX bundle_created_idx ON bundle (created_at)`);
    await queryRunner.query(`CREATE INDEX artifact_created_idx ON artifact (created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX artifact_created_idx`);
    await queryRunner.query(`DROP INDEX bundle_created_idx`);
    await queryRunner.query(`ALTER TABLE cluster_assignment DROP CONSTRAINT cluster_assignment_bundle_fkey`);
    await queryRunner.query(`DROP INDEX cluster_assignment_digest_idx`);
    await queryRunner.query(`DROP INDEX revision_artifact_idx`);
    // The old shape has no place for a collected source: such a revision reads as unusable.
    await queryRunner.query(`
      UPDATE revision SET error = 'source garbage-collected at ' || source_collected_at
       WHERE artifact_digest IS NULL AND error IS NULL`);
    await queryRunner.query(`ALTER TABLE revision DROP CONSTRAINT revision_source_or_error`);
    await queryRunner.query(`
      ALTER TABLE revision ADD CONSTRAINT revision_source_or_error
        CHECK (artifact_digest IS NOT NULL OR error IS NOT NULL)`);
    await queryRunner.query(`ALTER TABLE revision DROP COLUMN source_collected_at`);
    await queryRunner.query(`ALTER TABLE application DROP COLUMN allow_empty`);
  }
}

import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A renderer kind per application, and revisions whose source is a content-addressed artifact
 * (every file under the application's path, any type) instead of the text of its YAML files in
 * jsonb. Existing revisions are converted: their YAML texts become artifacts in the hub's packed
 * form (`[[path, base64], …]` sorted by the paths' bytes, the UTF-8 JSON text hashed with sha256),
 * so they render exactly as before.
 */
export class RendererAndArtifacts1763802000000 implements MigrationInterface {
  name = 'RendererAndArtifacts1763802000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // No CHECK on the kind: the hub knows its renderers, and a new one should not need a migration.
    await queryRunner.query(
      `ALTER TABLE application ADD COLUMN renderer varchar(32) NOT NULL DEFAULT 'template'`,
    );
    await queryRunner.query(`
      CREATE TABLE artifact (
        digest     varchar(71) PRIMARY KEY,
        content    bytea NOT NULL,
        size       integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `ALTER TABLE revision ADD COLUMN artifact_digest varchar(71) REFERENCES artifact (digest)`,
    );
    // to_json escapes a string as JSON.stringify does; encode(…, 'base64') wraps lines, which go.
    await queryRunner.query(`
      CREATE TEMP TABLE packed_revision AS
      SELECT application_id, commit, content, 'sha256:' || encode(sha256(content), 'hex') AS digest
        FROM (SELECT r.application_id, r.commit,
                     convert_to(COALESCE((
                       SELECT '[' || string_agg(
                                '[' || to_json(f ->> 'path')::text || ',"' ||
                                translate(encode(convert_to(f ->> 'content', 'UTF8'), 'base64'), E'\\n', '') || '"]',
                                ',' ORDER BY (f ->> 'path') COLLATE "C") || ']'
                         FROM jsonb_array_elements(r.sources) f), '[]'), 'UTF8') AS content
                FROM revision r) p`);
    await queryRunner.query(`
      INSERT INTO artifact (digest, content, size)
      SELECT DISTINCT ON (digest) digest, content, octet_length(content) FROM packed_revision
      ON CONFLICT (digest) DO NOTHING`);
    await queryRunner.query(`
      UPDATE revision r SET artifact_digest = p.digest
        FROM packed_revision p WHERE r.application_id = p.application_id AND r.commit = p.commit`);
    await queryRunner.query(`DROP TABLE packed_revision`);
    await queryRunner.query(`ALTER TABLE revision DROP COLUMN sources`);
    // A revision that can roll out has its source; one whose source could not be read says why.
    await queryRunner.query(`
      ALTER TABLE revision ADD CONSTRAINT revision_source_or_error
        CHECK (artifact_digest IS NOT NULL OR error IS NOT NULL)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Back to the YAML texts; other files have no place in the old shape and are dropped.
    await queryRunner.query(`ALTER TABLE revision ADD COLUMN sources jsonb NOT NULL DEFAULT '[]'::jsonb`);
    await queryRunner.query(`
      UPDATE revision r
         SET sources = COALESCE((
               SELECT jsonb_agg(jsonb_build_object('path', e ->> 0,
                                                   'content', convert_from(decode(e ->> 1, 'base64'), 'UTF8'))
                                ORDER BY (e ->> 0) COLLATE "C")
                 FROM artifact a, jsonb_array_elements(convert_from(a.content, 'UTF8')::jsonb) e
                WHERE a.digest = r.artifact_digest AND (e ->> 0) ~* '\\.ya?ml$'), '[]'::jsonb)`);
    await queryRunner.query(`ALTER TABLE revision ALTER COLUMN sources DROP DEFAULT`);
    await queryRunner.query(`ALTER TABLE revision DROP CONSTRAINT revision_source_or_error`);
    await queryRunner.query(`ALTER TABLE revision DROP COLUMN artifact_digest`);
    await queryRunner.query(`DROP TABLE artifact`);
    await queryRunner.query(`ALTER TABLE application DROP COLUMN renderer`);
  }
}

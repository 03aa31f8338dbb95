import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Applications, their git revisions, content-addressed bundles, rollouts (waves and per-cluster
 * records) and what each cluster must run now (cluster_assignment, served to agents with the
 * cluster's assignment_generation for long-polling).
 */
export class Rollouts1763794800000 implements MigrationInterface {
  name = 'Rollouts1763794800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE application (
        id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name                  varchar(63) NOT NULL UNIQUE,
        repo_url              text NOT NULL,
        repo_key              text NOT NULL,
        credentials_ref       varchar(128),
        ref                   varchar(255) NOT NULL,
        path                  varchar(1024) NOT NULL DEFAULT '',
        target_selector       text NOT NULL DEFAULT '',
        values_rules          jsonb NOT NULL DEFAULT '[]'::jsonb,
        plan                  jsonb NOT NULL,
        sync_policy           varchar(16) NOT NULL DEFAULT 'auto' CHECK (sync_policy IN ('auto', 'manual')),
        poll_interval_seconds integer NOT NULL DEFAULT 60,
        default_namespace     varchar(63),
        prune                 boolean NOT NULL DEFAULT true,
        latest_commit         char(40),
        last_synced_at        timestamptz,
        last_sync_error       text,
        created_at            timestamptz NOT NULL DEFAULT now(),
        updated_at            timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX application_repo_key_idx ON application (repo_key)`);
    await queryRunner.query(`
      CREATE TABLE revision (
        application_id uuid NOT NULL REFERENCES application (id) ON DELETE CASCADE,
        commit         char(40) NOT NULL,
        author         text NOT NULL,
        author_email   text NOT NULL,
        committed_at   timestamptz NOT NULL,
        message        text NOT NULL,
        sources        jsonb NOT NULL,
        error          text,
        fetched_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (application_id, commit)
      )`);
    await queryRunner.query(`
      CREATE TABLE bundle (
        digest     varchar(71) PRIMARY KEY,
        manifests  text NOT NULL,
        size       integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE rollout (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        application_id uuid NOT NULL REFERENCES application (id) ON DELETE CASCADE,
        commit         char(40) NOT NULL,
        kind           varchar(16) NOT NULL DEFAULT 'rollout' CHECK (kind IN ('rollout', 'rollback')),
        rollback_of    uuid REFERENCES rollout (id) ON DELETE SET NULL,
        rolled_back_by uuid REFERENCES rollout (id) ON DELETE SET NULL,
        state          varchar(20) NOT NULL CHECK (state IN ('Pending', 'Progressing', 'Soaking',
                         'AwaitingApproval', 'Succeeded', 'Paused', 'Failed', 'Aborted', 'RolledBack',
                         'Superseded')),
        paused         boolean NOT NULL DEFAULT false,
        resumed_at     timestamptz,
        current_wave   integer NOT NULL DEFAULT 0,
        plan           jsonb NOT NULL,
        created_by     text NOT NULL,
        message        text,
        -- Per-wave counts by phase after the last pass: a change is what subscribers are told about.
        summary        jsonb NOT NULL DEFAULT '[]'::jsonb,
        created_at     timestamptz NOT NULL DEFAULT now(),
        updated_at     timestamptz NOT NULL DEFAULT now(),
        finished_at    timestamptz
      )`);
    await queryRunner.query(
      `CREATE INDEX rollout_application_idx ON rollout (application_id, created_at DESC)`,
    );
    // The periodic pass visits only rollouts that can still move.
    await queryRunner.query(
      `CREATE INDEX rollout_active_idx ON rollout (updated_at)
         WHERE state IN ('Pending', 'Progressing', 'Soaking', 'AwaitingApproval')`,
    );
    await queryRunner.query(`
      CREATE TABLE rollout_wave (
        rollout_id  uuid NOT NULL REFERENCES rollout (id) ON DELETE CASCADE,
        index       integer NOT NULL,
        name        varchar(63) NOT NULL,
        started_at  timestamptz,
        healthy_at  timestamptz,
        approved_at timestamptz,
        approved_by text,
        PRIMARY KEY (rollout_id, index)
      )`);
    await queryRunner.query(`
      CREATE TABLE rollout_cluster (
        rollout_id      uuid NOT NULL REFERENCES rollout (id) ON DELETE CASCADE,
        cluster_id      uuid NOT NULL REFERENCES cluster (id) ON DELETE CASCADE,
        cluster_name    varchar(63) NOT NULL,
        wave            varchar(63) NOT NULL,
        target_digest   varchar(71),
        target_commit   char(40),
        digest_assigned varchar(71),
        assigned_at     timestamptz,
        previous_digest varchar(71),
        previous_commit char(40),
        skipped         boolean NOT NULL DEFAULT false,
        timed_out       boolean NOT NULL DEFAULT false,
        offline_failed  boolean NOT NULL DEFAULT false,
        retried_at      timestamptz,
        PRIMARY KEY (rollout_id, cluster_id)
      )`);
    await queryRunner.query(`CREATE INDEX rollout_cluster_cluster_idx ON rollout_cluster (cluster_id)`);
    await queryRunner.query(`
      CREATE TABLE cluster_assignment (
        cluster_id                 uuid NOT NULL REFERENCES cluster (id) ON DELETE CASCADE,
        application_id             uuid NOT NULL REFERENCES application (id) ON DELETE CASCADE,
        digest                     varchar(71) NOT NULL,
        commit                     char(40) NOT NULL,
        rollout_id                 uuid REFERENCES rollout (id) ON DELETE SET NULL,
        progress_deadline_seconds  integer NOT NULL,
        assigned_at                timestamptz NOT NULL,
        PRIMARY KEY (cluster_id, application_id)
      )`);
    await queryRunner.query(`ALTER TABLE cluster ADD COLUMN assignment_generation bigint NOT NULL DEFAULT 0`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE cluster DROP COLUMN assignment_generation`);
    await queryRunner.query(`DROP TABLE cluster_assignment`);
    await queryRunner.query(`DROP TABLE rollout_cluster`);
    await queryRunner.query(`DROP TABLE rollout_wave`);
    await queryRunner.query(`DROP TABLE rollout`);
    await queryRunner.query(`DROP TABLE bundle`);
    await queryRunner.query(`DROP TABLE revision`);
    await queryRunner.query(`DROP TABLE application`);
  }
}

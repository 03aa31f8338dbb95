import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A finished rollout keeps what its clusters reported when it finished. A member's phase is read
 * from the cluster's status report for the application (`cluster_bundle_status`), which later
 * moves on or goes away (a cluster withdrawn from the application, an application deleted): without
 * a copy, a Succeeded rollout's clusters would read Assigned ever after. `final_at` is set when the
 * rollout finishes (and cleared if it is resumed), with the report as it was then (all null when
 * the cluster had none).
 */
export class FinishedRolloutReports1796193600000 implements MigrationInterface {
  name = 'FinishedRolloutReports1796193600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE rollout_cluster
        ADD COLUMN final_at timestamptz,
        ADD COLUMN final_digest varchar(71),
        ADD COLUMN final_phase varchar(16),
        ADD COLUMN final_reported_at timestamptz,
        ADD COLUMN final_failing jsonb`);
    // Rollouts that finished before: their members' reports as they are now (the best there is).
    await queryRunner.query(`
      UPDATE rollout_cluster rc
         SET final_at = f.finished_at, final_digest = f.digest, final_phase = f.phase,
             final_reported_at = f.updated_at, final_failing = f.failing
        FROM (SELECT x.rollout_id, x.cluster_id, r.finished_at, s.digest, s.phase, s.updated_at, s.failing
                FROM rollout_cluster x
                JOIN rollout r ON r.id = x.rollout_id AND r.finished_at IS NOT NULL
                JOIN application a ON a.id = r.application_id
                LEFT JOIN cluster_bundle_status s ON s.cluster_id = x.cluster_id AND s.application = a.name) f
       WHERE rc.rollout_id = f.rollout_id AND rc.cluster_id = f.cluster_id`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE rollout_cluster
        DROP COLUMN final_at, DROP COLUMN final_digest, DROP COLUMN final_phase,
        DROP COLUMN final_reported_at, DROP COLUMN final_failing`);
  }
}

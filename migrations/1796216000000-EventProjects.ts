import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The project of each audit event (`events(project:)`, and what a project-bound caller may read):
 * set when the event is written, from its target (a project; an application, its rollouts and
 * placements), so the event stays with the project it happened in when an application moves.
 * Events about anything else (clusters, tokens, the fleet) have none. Existing events are filled
 * in from their targets as they are now.
 */
export class EventProjects1796216000000 implements MigrationInterface {
  name = 'EventProjects1796216000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE event ADD COLUMN project varchar(63)`);
    await queryRunner.query(`UPDATE event SET project = target_id WHERE target_kind = 'project'`);
    await queryRunner.query(`
      UPDATE event e SET project = a.project FROM application a
        WHERE e.target_kind = 'application' AND e.target_id = a.id::text`);
    await queryRunner.query(`
      UPDATE event e SET project = a.project FROM rollout r JOIN application a ON a.id = r.application_id
        WHERE e.target_kind = 'rollout' AND e.target_id = r.id::text`);
    await queryRunner.query(`
      UPDATE event e SET project = (SELECT a.project FROM application a
          WHERE a.name = split_part(e.target_id, '/', 2)
          ORDER BY a.deleted_at IS NOT NULL, a.deleted_at DESC LIMIT 1)
        WHERE e.target_kind = 'placement'`);
    await queryRunner.query(
      `CREATE INDEX event_project_idx ON event (project, id DESC) WHERE project IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX event_project_idx`);
    await queryRunner.query(`ALTER TABLE event DROP COLUMN project`);
  }
}

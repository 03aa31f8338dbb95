import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type EventTargetKind =
  | 'cluster'
  | 'registrationToken'
  | 'apiToken'
  | 'application'
  | 'rollout'
  /** A (cluster, application) pair, id `<clusterId>/<application name>`. */
  | 'placement'
  /** Fleet-wide settings (the freeze); the target id is `fleet`. */
  | 'fleet'
  | 'notificationSubscription'
  /** A project; the target id is its name. */
  | 'project';

/** One row of the audit trail: every mutation and every state transition. */
@Entity('event')
export class EventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column({ name: 'occurred_at', type: 'timestamptz' }) occurredAt!: Date;
  @Column({ type: 'varchar' }) actor!: string;
  @Column({ type: 'varchar' }) action!: string;
  @Column({ name: 'target_kind', type: 'varchar' }) targetKind!: EventTargetKind;
  @Column({ name: 'target_id', type: 'varchar' }) targetId!: string;
  @Column({ type: 'jsonb', nullable: true }) before!: unknown;
  @Column({ type: 'jsonb', nullable: true }) after!: unknown;
  /**
   * The project the target belonged to when the event was written (a project's own events, its
   * applications', their rollouts' and placements'); null for everything else (clusters, tokens…).
   */
  @Column({ type: 'varchar', nullable: true }) project!: string | null;
}

import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type ClusterStatus = 'Pending' | 'Ready' | 'NotReady' | 'Unknown' | 'Offline';

export interface ClusterFacts {
  kubernetesVersion?: string;
  nodeCount?: number;
  provider?: string;
  region?: string;
}

/** A cluster's maintenance, as its agent last reported it. */
export interface ClusterMaintenance {
  reason: string;
  since: Date;
}

/** A cluster being deregistered: who asked, when, and what its agent does with the objects. */
export interface ClusterDeregistration {
  policy: 'prune' | 'orphan';
  requestedAt: Date;
  requestedBy: string;
}

/** The deregistration columns of a cluster row as one value (null: not being deregistered). */
export function deregistrationOf(
  cluster: Pick<
    ClusterEntity,
    'deregistrationRequestedAt' | 'deregistrationPolicy' | 'deregistrationRequestedBy'
  >,
): ClusterDeregistration | null {
  if (cluster.deregistrationRequestedAt === null || cluster.deregistrationPolicy === null) return null;
  return {
    policy: cluster.deregistrationPolicy,
    requestedAt: cluster.deregistrationRequestedAt,
    requestedBy: cluster.deregistrationRequestedBy ?? '',
  };
}

/** The maintenance columns of a cluster row (both set or both null) as one value. */
export function maintenanceFrom(reason: string | null, since: Date | null): ClusterMaintenance | null {
  return reason !== null && since !== null ? { reason, since } : null;
}

@Entity('cluster')
export class ClusterEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'varchar' }) name!: string;
  @Column({ name: 'kube_system_uid', type: 'varchar' }) kubeSystemUid!: string;
  @Column({ type: 'jsonb' }) labels!: Record<string, string>;
  @Column({ type: 'jsonb' }) facts!: ClusterFacts;
  @Column({ type: 'varchar' }) status!: ClusterStatus;
  @Column({ type: 'boolean' }) cordoned!: boolean;
  @Column({ name: 'agent_version', type: 'varchar', nullable: true }) agentVersion!: string | null;
  @Column({ name: 'last_heartbeat_at', type: 'timestamptz', nullable: true }) lastHeartbeatAt!: Date | null;
  /** Written by report ingestion from the newest report; both null: not in maintenance. */
  @Column({ name: 'maintenance_reason', type: 'text', nullable: true }) maintenanceReason!: string | null;
  @Column({ name: 'maintenance_since', type: 'timestamptz', nullable: true }) maintenanceSince!: Date | null;
  /** Set while the cluster is Deregistering: it is deleted once every withdrawal is confirmed. */
  @Column({ name: 'deregistration_requested_at', type: 'timestamptz', nullable: true })
  deregistrationRequestedAt!: Date | null;
  @Column({ name: 'deregistration_requested_by', type: 'varchar', nullable: true })
  deregistrationRequestedBy!: string | null;
  @Column({ name: 'deregistration_policy', type: 'varchar', nullable: true })
  deregistrationPolicy!: 'prune' | 'orphan' | null;
  @Column({ name: 'credential_hash', type: 'char', length: 64, nullable: true, select: false })
  credentialHash!: string | null;
  @Column({ name: 'signing_key', type: 'varchar', nullable: true, select: false }) signingKey!: string | null;
  /** When the credential and its signing key stop working; null: issued before credentials expired. */
  @Column({ name: 'credential_expires_at', type: 'timestamptz', nullable: true })
  credentialExpiresAt!: Date | null;
  /** Set by an admin: the credential and signing key are refused until the cluster registers again. */
  @Column({ name: 'credential_revoked_at', type: 'timestamptz', nullable: true })
  credentialRevokedAt!: Date | null;
  /** The credential and key before the last rotation, still accepted until `previousValidUntil`. */
  @Column({ name: 'previous_credential_hash', type: 'char', length: 64, nullable: true, select: false })
  previousCredentialHash!: string | null;
  @Column({ name: 'previous_signing_key', type: 'varchar', nullable: true, select: false })
  previousSigningKey!: string | null;
  @Column({ name: 'previous_valid_until', type: 'timestamptz', nullable: true })
  previousValidUntil!: Date | null;
  @Column({ name: 'last_seq', type: 'bigint' }) lastSeq!: string;
  @Column({ name: 'registered_with', type: 'uuid', nullable: true }) registeredWith!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

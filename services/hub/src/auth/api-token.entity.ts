import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { type Role } from '../common/actor.js';

@Entity('api_token')
export class ApiTokenEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'varchar' }) name!: string;
  @Column({ name: 'token_hash', type: 'char', length: 64, select: false }) tokenHash!: string;
  @Column({ type: 'varchar' }) role!: Role;
  @Column({ name: 'created_by', type: 'varchar' }) createdBy!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  /** Projects: set, the token acts only in this project, with `role` there (docs/projects.md). */
  @Column({ type: 'varchar', nullable: true }) project!: string | null;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt!: Date | null;
  /** Null only for tokens made before tokens expired. */
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true }) expiresAt!: Date | null;
  /** To the minute (written at most once a minute per token). */
  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true }) lastUsedAt!: Date | null;
}

import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('registration_token')
export class RegistrationTokenEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'varchar' }) description!: string;
  @Column({ name: 'token_hash', type: 'char', length: 64, select: false }) tokenHash!: string;
  @Column({ name: 'default_labels', type: 'jsonb' }) defaultLabels!: Record<string, string>;
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true }) expiresAt!: Date | null;
  @Column({ name: 'max_uses', type: 'integer', nullable: true }) maxUses!: number | null;
  @Column({ type: 'integer' }) uses!: number;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt!: Date | null;
  @Column({ name: 'created_by', type: 'varchar' }) createdBy!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

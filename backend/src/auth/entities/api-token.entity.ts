import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import type { UserRole } from '../../common/auth/roles';
import { UserEntity } from '../../users/entities/user.entity';

/**
 * A long-lived bearer token for scripts and OpenAPI clients: `hwt_` + 256 random bits, shown
 * once, stored as its SHA-256. It acts as its owner with at most `role` (and never more than
 * the owner's current role).
 */
@Check('CHK_api_tokens_role', `"role" IN ('viewer', 'operator', 'admin')`)
@Entity('api_tokens')
// Serves the owner's token list and the cascade from users.
@Index('idx_api_tokens_user_id', ['userId'])
export class ApiTokenEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_api_tokens_user' })
  user?: UserEntity;

  /** Who made it (the owner, or an admin for a service account); kept if that user goes. */
  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  /** Serves the guard's lookup of a presented token: token_hash = $1. */
  @Column({ name: 'token_hash', type: 'varchar', length: 64, unique: true })
  tokenHash!: string;

  /** The first characters, so a user can tell tokens apart; not enough to use one. */
  @Column({ name: 'token_prefix', type: 'varchar', length: 16 })
  tokenPrefix!: string;

  @Column({ type: 'varchar', length: 16 })
  role!: UserRole;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { AuthSessionEntity } from './auth-session.entity';

/**
 * A refresh token, stored only as the SHA-256 of its (256-bit random) value. Each use rotates
 * it: `used_at` is set and a new one issued in the same session. Presenting a used one again
 * means it was stolen, and revokes the whole session.
 */
@Entity('refresh_tokens')
// Serves "rotate every token of a session" and the cascade from auth_sessions.
@Index('idx_refresh_tokens_session_id', ['sessionId'])
export class RefreshTokenEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'session_id', type: 'uuid' })
  sessionId!: string;

  @ManyToOne(() => AuthSessionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'session_id', foreignKeyConstraintName: 'FK_refresh_tokens_session' })
  session?: AuthSessionEntity;

  /** Serves the lookup of a presented token: token_hash = $1. */
  @Column({ name: 'token_hash', type: 'varchar', length: 64, unique: true })
  tokenHash!: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

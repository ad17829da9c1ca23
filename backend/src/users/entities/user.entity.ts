import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { UserRole } from '../../common/auth/roles';
import { MIGRATION_MANAGED } from '../../database/index-options';

export const USER_SOURCES = ['local', 'oidc', 'proxy'] as const;
export type UserSource = (typeof USER_SOURCES)[number];

/**
 * A person or a service account. The password hash (scrypt, see password-hasher.ts) never
 * leaves the service layer; responses go through toUserResponse.
 */
@Check('CHK_users_role', `"role" IN ('viewer', 'operator', 'admin')`)
@Entity('users')
// Serves login and uniqueness regardless of case: lower(username) = lower($1).
@Index('uq_users_username_lower', ['username'], { ...MIGRATION_MANAGED, unique: true })
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  username!: string;

  /** Null for service accounts and for users who sign in only through SSO. */
  @Column({ name: 'password_hash', type: 'text', nullable: true })
  passwordHash!: string | null;

  @Column({ type: 'varchar', length: 16 })
  role!: UserRole;

  @Column({ name: 'is_active', type: 'boolean', default: true })
  isActive!: boolean;

  @Column({ name: 'is_service_account', type: 'boolean', default: false })
  isServiceAccount!: boolean;

  @Column({ type: 'varchar', length: 16, default: 'local' })
  source!: UserSource;

  @Column({ name: 'last_login_at', type: 'timestamptz', nullable: true })
  lastLoginAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { MIGRATION_MANAGED } from '../../database/index-options';
import type { AuthMethod } from '../../common/probe.types';

/**
 * An SSH login. The secret (password or private key) and the key passphrase are stored only
 * as AES-256-GCM envelopes (see common/secret-box.ts); this entity never leaves the service layer.
 */
@Entity('credentials')
// Serves "at most one default": a partial unique index, created by the migration.
@Index('uq_credentials_single_default', ['isDefault'], { ...MIGRATION_MANAGED, unique: true })
export class CredentialEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 100, unique: true })
  name!: string;

  @Column({ type: 'varchar', length: 64 })
  username!: string;

  @Column({ name: 'auth_method', type: 'varchar', length: 16 })
  authMethod!: AuthMethod;

  @Column({ name: 'secret_encrypted', type: 'text' })
  secretEncrypted!: string;

  @Column({ name: 'passphrase_encrypted', type: 'text', nullable: true })
  passphraseEncrypted!: string | null;

  @Column({ name: 'is_default', type: 'boolean', default: false })
  isDefault!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

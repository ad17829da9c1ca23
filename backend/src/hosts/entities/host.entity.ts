import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToOne,
  PrimaryGeneratedColumn,
  Relation,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import { MIGRATION_MANAGED } from '../../database/index-options';
import type { HostKeyPolicy } from '../../common/probe.types';
import { CredentialEntity } from '../../credentials/entities/credential.entity';
import { HostStatusEntity } from './host-status.entity';

/**
 * The inventory: what a person says about a host (name, address, credential, tags, host-key
 * policy and pin). Its schedule and state are in HostStatusEntity, written by every check; this
 * row changes only when the inventory does, and each change raises `version`.
 */
@Entity('hosts')
// Serves case-insensitive hostname uniqueness and lookups: lower(hostname) = lower($1).
@Index('uq_hosts_hostname_lower', ['hostname'], { ...MIGRATION_MANAGED, unique: true })
// Serves the host list's text search (hostname or address ILIKE); a pg_trgm GIN index over an
// expression, created by the migration.
@Index('idx_hosts_search_trgm', MIGRATION_MANAGED)
// Serves the tag filter (tags @> ARRAY[$tag]); a GIN index, created by the migration.
@Index('idx_hosts_tags', ['tags'], MIGRATION_MANAGED)
// Serves "is this credential still used by a host" on credential delete.
@Index('idx_hosts_credential_id', ['credentialId'])
// Serve a recovered parent's children (checked at once) and "is this somebody's jump host".
@Index('idx_hosts_parent_host_id', ['parentHostId'])
@Index('idx_hosts_jump_host_id', ['jumpHostId'])
export class HostEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 253, unique: true })
  hostname!: string;

  @Column({ name: 'ip_address', type: 'varchar', length: 45, nullable: true })
  ipAddress!: string | null;

  @Column({ type: 'integer', default: 22 })
  port!: number;

  @Column({ name: 'credential_id', type: 'uuid', nullable: true })
  credentialId!: string | null;

  @ManyToOne(() => CredentialEntity, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'credential_id', foreignKeyConstraintName: 'FK_hosts_credential' })
  credential?: CredentialEntity | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags!: string[];

  /** Free text a person keeps with the host. */
  @Column({ type: 'varchar', length: 1000, nullable: true })
  description!: string | null;

  /** The host in front of this one (a router, a bastion): while it is down, this is unreachable. */
  @Column({ name: 'parent_host_id', type: 'uuid', nullable: true })
  parentHostId!: string | null;

  @ManyToOne(() => HostEntity, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'parent_host_id', foreignKeyConstraintName: 'FK_hosts_parent' })
  parent?: Relation<HostEntity> | null;

  /** The host this one is probed through (ProxyJump); implicitly its parent. */
  @Column({ name: 'jump_host_id', type: 'uuid', nullable: true })
  jumpHostId!: string | null;

  @ManyToOne(() => HostEntity, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'jump_host_id', foreignKeyConstraintName: 'FK_hosts_jump_host' })
  jumpHost?: Relation<HostEntity> | null;

  @Column({ name: 'host_key_policy', type: 'varchar', length: 10, default: 'tofu' })
  hostKeyPolicy!: HostKeyPolicy;

  @Column({ name: 'host_key_fingerprint', type: 'varchar', length: 100, nullable: true })
  hostKeyFingerprint!: string | null;

  @Column({ name: 'host_key_type', type: 'varchar', length: 64, nullable: true })
  hostKeyType!: string | null;

  @Column({ name: 'host_key_first_seen_at', type: 'timestamptz', nullable: true })
  hostKeyFirstSeenAt!: Date | null;

  /**
   * Raised by every change of the inventory row, the host-key pin included. A check claimed
   * at one version is applied only while the host still has it (see HostStatusRepository).
   */
  @VersionColumn({ type: 'integer', default: 1 })
  version!: number;

  /** Schedule and state; loaded with the host wherever the host is read. */
  @OneToOne(() => HostStatusEntity, (status) => status.host, { cascade: ['insert', 'update'] })
  status!: Relation<HostStatusEntity>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

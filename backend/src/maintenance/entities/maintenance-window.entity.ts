import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { Recurrence } from '../occurrences';

/**
 * A maintenance window: while one of its occurrences is on, its hosts (by id, and by tag) are in
 * MAINTENANCE. One-off (`starts_at`, `ends_at`) or recurring (`recurrence`), never both. Windows
 * are few: the scheduler reads them whole each tick.
 */
@Entity('maintenance_windows')
@Check(
  'CHK_maintenance_windows_when',
  `("recurrence" IS NULL AND "starts_at" IS NOT NULL AND "ends_at" > "starts_at")
          OR ("recurrence" IS NOT NULL AND "starts_at" IS NULL AND "ends_at" IS NULL)`,
)
export class MaintenanceWindowEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_maintenance_windows_id' })
  id!: string;

  @Column({ type: 'varchar', length: 100, unique: true })
  name!: string;

  @Column({ type: 'varchar', length: 500, nullable: true })
  reason!: string | null;

  @Column({ name: 'host_ids', type: 'uuid', array: true, default: () => "'{}'" })
  hostIds!: string[];

  /** Hosts carrying any of these tags, now or when they join later. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags!: string[];

  @Column({ name: 'starts_at', type: 'timestamptz', nullable: true })
  startsAt!: Date | null;

  @Column({ name: 'ends_at', type: 'timestamptz', nullable: true })
  endsAt!: Date | null;

  @Column({ type: 'jsonb', nullable: true })
  recurrence!: Recurrence | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

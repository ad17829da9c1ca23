import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** Persisted monitoring settings, one JSON value per key ('policy', 'scheduler'). */
@Entity('monitoring_settings')
export class MonitoringSettingEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  key!: string;

  @Column({ type: 'jsonb' })
  value!: unknown;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

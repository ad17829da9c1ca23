import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { ChannelType } from '../notification-vocabulary';

/**
 * Where notifications go. `config` holds the type's settings that are not secret; the secret
 * ones (a webhook's signing secret, an SMTP password, a Slack or Teams URL, which embeds a
 * token) are stored only in `secrets_encrypted`, an AES-256-GCM envelope of a JSON object
 * (see SecretBox). This entity never leaves the service layer.
 */
@Entity('notification_channels')
@Check(
  'CHK_notification_channels_type',
  `"type" IN ('webhook', 'slack', 'teams', 'email', 'alertmanager')`,
)
export class NotificationChannelEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 100, unique: true })
  name!: string;

  @Column({ type: 'varchar', length: 16 })
  type!: ChannelType;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  config!: Record<string, unknown>;

  @Column({ name: 'secrets_encrypted', type: 'text', nullable: true })
  secretsEncrypted!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

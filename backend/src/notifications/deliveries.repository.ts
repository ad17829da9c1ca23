import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AlertDeliveryRow } from '../alerts/alerts.repository';
import type { DeliveryStatus } from './notification-vocabulary';
import { NotificationDeliveryEntity } from './entities/notification-delivery.entity';

export interface DeliveryListFilter {
  channelId?: string;
  status?: DeliveryStatus;
  alertId?: string;
  offset: number;
  limit: number;
}

const SELECT = `SELECT d.id, d.message_id, d.channel_id, c.name AS channel_name,
    c.type AS channel_type, d.rule_id, d.attempt, d.status, d.response, d.http_status,
    d.latency_ms, d.error, d.at
  FROM notification_deliveries d JOIN notification_channels c ON c.id = d.channel_id`;

/** notification_deliveries: one row per attempt, never changed. */
@Injectable()
export class DeliveriesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(
    manager: EntityManager,
    row: Omit<NotificationDeliveryEntity, 'id' | 'message' | 'channel'>,
  ): Promise<string> {
    const result = await manager.getRepository(NotificationDeliveryEntity).insert(row);
    return result.identifiers[0].id as string;
  }

  async findById(id: string): Promise<AlertDeliveryRow | null> {
    const rows: AlertDeliveryRow[] = await this.dataSource.query(`${SELECT} WHERE d.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /**
   * A page of attempts, newest first. Served by idx_notification_deliveries_at, or _channel_at
   * with a channel; an alert goes through idx_notification_group_items_alert_id and
   * idx_notification_deliveries_message_id.
   */
  async list(filter: DeliveryListFilter): Promise<{ items: AlertDeliveryRow[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.channelId) {
      params.push(filter.channelId);
      where.push(`d.channel_id = $${params.length}`);
    }
    if (filter.status) {
      params.push(filter.status);
      where.push(`d.status = $${params.length}`);
    }
    if (filter.alertId) {
      params.push(filter.alertId);
      where.push(
        `d.message_id IN (SELECT message_id FROM notification_group_items WHERE alert_id = $${params.length} AND message_id IS NOT NULL)`,
      );
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [items, count] = await Promise.all([
      this.dataSource.query(
        `${SELECT} ${clause} ORDER BY d.at DESC, d.id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, filter.limit, filter.offset],
      ) as Promise<AlertDeliveryRow[]>,
      this.dataSource.query(
        `SELECT count(*)::int AS n FROM notification_deliveries d ${clause}`,
        params,
      ) as Promise<Array<{ n: number }>>,
    ]);
    return { items, total: count[0]?.n ?? 0 };
  }

  /** The latest attempt of each channel (the channel list shows it); idx_..._channel_at. */
  latestPerChannel(): Promise<AlertDeliveryRow[]> {
    return this.dataSource.query(
      `SELECT d.id, d.message_id, c.id AS channel_id, c.name AS channel_name,
              c.type AS channel_type, d.rule_id, d.attempt, d.status, d.response, d.http_status,
              d.latency_ms, d.error, d.at
         FROM notification_channels c
        CROSS JOIN LATERAL (
          SELECT * FROM notification_deliveries x WHERE x.channel_id = c.id
           ORDER BY x.at DESC, x.id DESC LIMIT 1) d`,
    );
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { AuditEventEntity } from './entities/audit-event.entity';

export interface AuditFilter {
  actor?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  since?: Date;
  until?: Date;
  offset: number;
  limit: number;
}

/** The audit log's only database access: insert and read. There is no update or delete. */
@Injectable()
export class AuditRepository {
  private readonly repo: Repository<AuditEventEntity>;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.repo = dataSource.getRepository(AuditEventEntity);
  }

  async append(event: Omit<AuditEventEntity, 'id'>): Promise<void> {
    await this.repo.save(this.repo.create(event));
  }

  /** Newest first; served by idx_audit_log_occurred_at, _actor or _action. */
  async list(filter: AuditFilter): Promise<{ items: AuditEventEntity[]; total: number }> {
    const qb = this.repo.createQueryBuilder('a');
    if (filter.actor !== undefined)
      qb.andWhere('lower(a.actor) = lower(:actor)', { actor: filter.actor });
    if (filter.action !== undefined) qb.andWhere('a.action = :action', { action: filter.action });
    if (filter.targetType !== undefined) {
      qb.andWhere('a.target_type = :targetType', { targetType: filter.targetType });
    }
    if (filter.targetId !== undefined)
      qb.andWhere('a.target_id = :targetId', { targetId: filter.targetId });
    if (filter.since !== undefined) qb.andWhere('a.occurred_at >= :since', { since: filter.since });
    if (filter.until !== undefined) qb.andWhere('a.occurred_at < :until', { until: filter.until });
    qb.orderBy('a.occurred_at', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .skip(filter.offset)
      .take(filter.limit);
    const [items, total] = await qb.getManyAndCount();
    return { items, total };
  }
}

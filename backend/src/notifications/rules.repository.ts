import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { NotificationRuleEntity } from './entities/notification-rule.entity';

/** notification_rules. Rules are few (tens): read whole, matched in memory. */
@Injectable()
export class RulesRepository {
  private readonly repo: Repository<NotificationRuleEntity>;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.repo = dataSource.getRepository(NotificationRuleEntity);
  }

  findAll(manager?: EntityManager): Promise<NotificationRuleEntity[]> {
    const repo = manager ? manager.getRepository(NotificationRuleEntity) : this.repo;
    return repo.find({ order: { name: 'ASC' } });
  }

  findById(id: string): Promise<NotificationRuleEntity | null> {
    return this.repo.findOneBy({ id });
  }

  findByName(name: string): Promise<NotificationRuleEntity | null> {
    return this.repo.findOneBy({ name });
  }

  /** Rules that send to a channel (a channel in use is not deleted). */
  findUsingChannel(channelId: string): Promise<NotificationRuleEntity[]> {
    return this.repo
      .createQueryBuilder('r')
      .where(':id = ANY(r.channel_ids)', { id: channelId })
      .orderBy('r.name')
      .getMany();
  }

  save(entity: NotificationRuleEntity): Promise<NotificationRuleEntity> {
    return this.repo.save(entity);
  }

  async delete(id: string): Promise<void> {
    await this.repo.delete({ id });
  }
}

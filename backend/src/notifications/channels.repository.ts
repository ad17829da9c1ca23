import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, Repository } from 'typeorm';
import { NotificationChannelEntity } from './entities/notification-channel.entity';

/** notification_channels. Channels are few (tens): read whole. */
@Injectable()
export class ChannelsRepository {
  private readonly repo: Repository<NotificationChannelEntity>;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.repo = dataSource.getRepository(NotificationChannelEntity);
  }

  findAll(): Promise<NotificationChannelEntity[]> {
    return this.repo.find({ order: { name: 'ASC' } });
  }

  findById(id: string): Promise<NotificationChannelEntity | null> {
    return this.repo.findOneBy({ id });
  }

  findByIds(ids: string[]): Promise<NotificationChannelEntity[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.repo.findBy({ id: In(ids) });
  }

  findByName(name: string): Promise<NotificationChannelEntity | null> {
    return this.repo.findOneBy({ name });
  }

  save(entity: NotificationChannelEntity): Promise<NotificationChannelEntity> {
    return this.repo.save(entity);
  }

  async delete(id: string): Promise<void> {
    await this.repo.delete({ id });
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { MonitoringSettingEntity } from './entities/monitoring-setting.entity';

@Injectable()
export class MonitoringSettingsRepository {
  private readonly repo: Repository<MonitoringSettingEntity>;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.repo = dataSource.getRepository(MonitoringSettingEntity);
  }

  async get(key: string): Promise<unknown | undefined> {
    const row = await this.repo.findOneBy({ key });
    return row?.value;
  }

  /** Stores a value, inside the caller's transaction when given one. */
  async put(key: string, value: unknown, tx?: EntityManager): Promise<void> {
    const repo = tx ? tx.getRepository(MonitoringSettingEntity) : this.repo;
    await repo.upsert({ key, value: value as object }, ['key']);
  }
}

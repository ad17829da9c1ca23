import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
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

  async put(key: string, value: unknown): Promise<void> {
    await this.repo.upsert({ key, value: value as object }, ['key']);
  }
}

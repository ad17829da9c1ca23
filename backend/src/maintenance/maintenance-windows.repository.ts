import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { MaintenanceWindowEntity } from './entities/maintenance-window.entity';

/** maintenance_windows. Windows are few (tens): read whole, evaluated in memory. */
@Injectable()
export class MaintenanceWindowsRepository {
  private readonly repo: Repository<MaintenanceWindowEntity>;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.repo = dataSource.getRepository(MaintenanceWindowEntity);
  }

  findAll(): Promise<MaintenanceWindowEntity[]> {
    return this.repo.find({ order: { name: 'ASC' } });
  }

  findById(id: string): Promise<MaintenanceWindowEntity | null> {
    return this.repo.findOneBy({ id });
  }

  findByName(name: string): Promise<MaintenanceWindowEntity | null> {
    return this.repo.findOneBy({ name });
  }

  save(entity: MaintenanceWindowEntity): Promise<MaintenanceWindowEntity> {
    return this.repo.save(entity);
  }

  async delete(id: string): Promise<void> {
    await this.repo.delete({ id });
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { HostEntity } from '../hosts/entities/host.entity';
import { HostCheckHistoryEntity } from './entities/host-check-history.entity';

/** The transactional reads and writes of applying a result; nothing else uses them. */
@Injectable()
export class CheckResultRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** Locks the host row for the rest of the transaction. */
  lockHost(tx: EntityManager, hostId: string): Promise<HostEntity | null> {
    return tx
      .getRepository(HostEntity)
      .createQueryBuilder('h')
      .setLock('pessimistic_write')
      .where('h.id = :hostId', { hostId })
      .getOne();
  }

  findByTaskId(tx: EntityManager | null, taskId: string): Promise<HostCheckHistoryEntity | null> {
    const manager = tx ?? this.dataSource.manager;
    return manager.getRepository(HostCheckHistoryEntity).findOneBy({ taskId });
  }

  async updateHost(tx: EntityManager, hostId: string, changes: Partial<HostEntity>): Promise<void> {
    await tx.getRepository(HostEntity).update({ id: hostId }, changes);
  }

  async insertHistory(tx: EntityManager, row: Partial<HostCheckHistoryEntity>): Promise<void> {
    await tx.getRepository(HostCheckHistoryEntity).insert(row);
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { CredentialEntity } from './entities/credential.entity';

@Injectable()
export class CredentialsRepository {
  private readonly repo: Repository<CredentialEntity>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.repo = dataSource.getRepository(CredentialEntity);
  }

  findAll(): Promise<CredentialEntity[]> {
    return this.repo.find({ order: { name: 'ASC' } });
  }

  findById(id: string): Promise<CredentialEntity | null> {
    return this.repo.findOneBy({ id });
  }

  findByName(name: string): Promise<CredentialEntity | null> {
    return this.repo.findOneBy({ name });
  }

  /** Saves, and when the credential becomes the default, clears the old default in the same transaction. */
  save(entity: CredentialEntity): Promise<CredentialEntity> {
    return this.dataSource.transaction(async (tx: EntityManager) => {
      if (entity.isDefault) {
        await tx
          .createQueryBuilder()
          .update(CredentialEntity)
          .set({ isDefault: false })
          .where('is_default AND (:id::uuid IS NULL OR id <> :id::uuid)', { id: entity.id ?? null })
          .execute();
      }
      return tx.getRepository(CredentialEntity).save(entity);
    });
  }

  /** Hosts using a credential; served by idx_hosts_credential_id. */
  async countHostsUsing(id: string): Promise<number> {
    const [row] = await this.dataSource.query(
      'SELECT count(*)::int AS n FROM hosts WHERE credential_id = $1',
      [id],
    );
    return row.n;
  }

  async delete(id: string): Promise<void> {
    await this.repo.delete({ id });
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { ApiTokenEntity } from './entities/api-token.entity';

@Injectable()
export class ApiTokensRepository {
  private readonly repo: Repository<ApiTokenEntity>;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.repo = dataSource.getRepository(ApiTokenEntity);
  }

  save(token: ApiTokenEntity): Promise<ApiTokenEntity> {
    return this.repo.save(token);
  }

  findById(id: string): Promise<ApiTokenEntity | null> {
    return this.repo.findOneBy({ id });
  }

  /** Served by the unique index on token_hash. */
  findByHash(tokenHash: string): Promise<ApiTokenEntity | null> {
    return this.repo.findOneBy({ tokenHash });
  }

  /** Served by idx_api_tokens_user_id; every token when userId is undefined. */
  list(userId?: string): Promise<ApiTokenEntity[]> {
    return this.repo.find({ where: userId ? { userId } : {}, order: { createdAt: 'DESC' } });
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.repo.update({ id }, { lastUsedAt: at });
  }
}

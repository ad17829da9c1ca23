import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { UserEntity } from './entities/user.entity';

@Injectable()
export class UsersRepository {
  private readonly repo: Repository<UserEntity>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.repo = dataSource.getRepository(UserEntity);
  }

  findAll(): Promise<UserEntity[]> {
    return this.repo.find({ order: { username: 'ASC' } });
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.repo.findOneBy({ id });
  }

  /** Served by uq_users_username_lower. */
  findByUsername(username: string): Promise<UserEntity | null> {
    return this.repo
      .createQueryBuilder('u')
      .where('lower(u.username) = lower(:username)', { username })
      .getOne();
  }

  count(): Promise<number> {
    return this.repo.count();
  }

  /** Active admins other than `exceptId`: the last one may not be demoted, disabled or deleted. */
  countOtherActiveAdmins(exceptId: string): Promise<number> {
    return this.repo
      .createQueryBuilder('u')
      .where("u.role = 'admin' AND u.is_active AND u.id <> :id", { id: exceptId })
      .getCount();
  }

  save(user: UserEntity): Promise<UserEntity> {
    return this.repo.save(user);
  }

  async delete(id: string): Promise<void> {
    await this.repo.delete({ id });
  }

  async touchLastLogin(id: string, at: Date): Promise<void> {
    await this.repo.update({ id }, { lastLoginAt: at });
  }

  /** Ends every login session of a user (password reset, disable), but `keepSessionId`. */
  async revokeSessions(
    userId: string,
    at: Date,
    reason: string,
    keepSessionId?: string,
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE auth_sessions SET revoked_at = $2, revoked_reason = $3
        WHERE user_id = $1 AND revoked_at IS NULL AND ($4::uuid IS NULL OR id <> $4::uuid)`,
      [userId, at, reason, keepSessionId ?? null],
    );
  }
}

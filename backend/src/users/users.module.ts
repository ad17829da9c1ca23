// Layer 6 (domain, owns users): may import state-machine, common, config, database, audit.
import { Module } from '@nestjs/common';
import { PasswordHasher } from './password-hasher';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Module({
  controllers: [UsersController],
  providers: [
    UsersRepository,
    UsersService,
    { provide: PasswordHasher, useValue: new PasswordHasher() },
  ],
  exports: [UsersService, PasswordHasher],
})
export class UsersModule {}

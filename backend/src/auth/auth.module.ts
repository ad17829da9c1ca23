// Layer 10 (domain, owns sessions and tokens): may import state-machine, common, config, database, audit, users, credentials, settings, alerts, hosts.
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config';
import { UsersModule } from '../users/users.module';
import { AccessTokenService } from './access-token.service';
import { ApiTokensController } from './api-tokens.controller';
import { AuthCleanupService } from './auth-cleanup.service';
import { ApiTokensRepository } from './api-tokens.repository';
import { ApiTokensService } from './api-tokens.service';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { IdentityService } from './identity.service';
import { OidcLoginService } from './oidc-login.service';
import { OidcVerifier } from './oidc-verifier.service';
import { RateLimitStorageModule, RedisThrottlerStorage } from './redis-throttler.storage';
import { SessionsRepository } from './sessions.repository';

const MINUTE_MS = 60_000;

/** Identities (local sessions, API tokens, OIDC, SSO proxy) and the one guard over every route. */
@Module({
  imports: [
    UsersModule,
    // Global: the JIT route in the monitoring module uses the same limits. Counted in Redis,
    // so a limit holds across every API process.
    ThrottlerModule.forRootAsync({
      imports: [RateLimitStorageModule],
      inject: [AppConfig, RedisThrottlerStorage],
      useFactory: (config: AppConfig, storage: RedisThrottlerStorage) => ({
        storage,
        throttlers: [
          { name: 'login', ttl: MINUTE_MS, limit: config.loginRateLimitPerMinute },
          { name: 'jit', ttl: MINUTE_MS, limit: config.jitRateLimitPerMinute },
        ],
      }),
    }),
  ],
  controllers: [AuthController, ApiTokensController],
  providers: [
    AccessTokenService,
    SessionsRepository,
    ApiTokensRepository,
    ApiTokensService,
    AuthService,
    AuthCleanupService,
    OidcVerifier,
    OidcLoginService,
    IdentityService,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
})
export class AuthModule {}

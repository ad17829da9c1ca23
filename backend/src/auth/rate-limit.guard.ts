import { applyDecorators, ExecutionContext, Injectable, UseGuards } from '@nestjs/common';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { SkipThrottle, ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import type { AuthenticatedRequest } from '../common/auth/identity';

export const RATE_LIMITS = ['login', 'jit'] as const;
export type RateLimitName = (typeof RATE_LIMITS)[number];

/**
 * Rate limits per identity, with Retry-After: logins count per username tried (whatever the
 * source address), JIT checks per authenticated caller. Limits come from the config
 * (LOGIN_RATE_LIMIT_PER_MINUTE, JIT_RATE_LIMIT_PER_MINUTE).
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const identity = (req as unknown as AuthenticatedRequest).identity;
    if (identity) return `${identity.kind}:${identity.userId ?? identity.username}`;
    const body = req.body as { username?: unknown } | undefined;
    const username = typeof body?.username === 'string' ? body.username.trim().toLowerCase() : '';
    return `login:${username}`;
  }

  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    // Plain Retry-After (seconds), whichever named limit tripped.
    context.switchToHttp().getResponse().header('Retry-After', String(detail.timeToBlockExpire));
    return super.throwThrottlingException(context, detail);
  }
}

/** Applies one of the named limits to a route. */
export function RateLimited(name: RateLimitName): MethodDecorator {
  const skip = Object.fromEntries(RATE_LIMITS.filter((n) => n !== name).map((n) => [n, true]));
  return applyDecorators(
    UseGuards(RateLimitGuard),
    SkipThrottle(skip),
    ApiTooManyRequestsResponse({
      description: 'Too many requests; the Retry-After header says when to retry',
    }),
  );
}

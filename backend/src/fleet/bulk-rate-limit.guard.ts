import { ExecutionContext, Injectable } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { RATE_LIMITS, RateLimitGuard } from '../auth/rate-limit.guard';

/**
 * The JIT rate limit on POST /api/hosts/bulk: a bulk `check` counts once, however many hosts
 * it queues; the other actions do not count.
 */
@Injectable()
export class BulkCheckRateLimitGuard extends RateLimitGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    const body = context.switchToHttp().getRequest<{ body?: { action?: unknown } }>().body;
    return body?.action !== 'check' || super.shouldSkip(context);
  }
}

/** Applies the JIT limit to bulk checks only. */
export function BulkCheckRateLimited(): MethodDecorator {
  const skip = Object.fromEntries(RATE_LIMITS.filter((n) => n !== 'jit').map((n) => [n, true]));
  return applyDecorators(
    UseGuards(BulkCheckRateLimitGuard),
    SkipThrottle(skip),
    ApiTooManyRequestsResponse({
      description: 'Too many checks asked for; the Retry-After header says when to retry',
    }),
  );
}

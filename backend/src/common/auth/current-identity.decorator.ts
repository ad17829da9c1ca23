import { createParamDecorator, ExecutionContext, UnauthorizedException } from '@nestjs/common';
import type { AuthenticatedRequest, Identity } from './identity';

/** The identity the AuthGuard established for this request. */
export const CurrentIdentity = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Identity => {
    const identity = context.switchToHttp().getRequest<AuthenticatedRequest>().identity;
    if (!identity) throw new UnauthorizedException('Authentication required');
    return identity;
  },
);

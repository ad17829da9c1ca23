import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  Logger,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { currentRequest } from '../common/request-context';
import { PUBLIC_ROUTE, REQUIRED_ROLE } from '../common/auth/auth.decorators';
import type { AuthenticatedRequest } from '../common/auth/identity';
import { hasRole, UserRole } from '../common/auth/roles';
import { IdentityService } from './identity.service';

/**
 * The one guard on every route: @Public() routes pass; every other route needs an identity
 * (else 401) whose role reaches the route's @RequiresRole (else 403). A route that declares
 * neither is refused to everyone, so forgetting the decorator fails closed.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger(AuthGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly identities: IdentityService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const required = this.reflector.getAllAndOverride<UserRole | undefined>(REQUIRED_ROLE, targets);
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const identity = await this.identities.resolve(req);
    req.identity = identity;
    const store = currentRequest();
    if (store) store.identity = identity;
    if (!required) {
      this.logger.error(
        `${req.method} ${req.path} declares no role (@RequiresRole or @Public); refused`,
      );
      throw new ForbiddenException('This route declares no role and is refused to everyone');
    }
    if (!hasRole(identity.role, required)) {
      throw new ForbiddenException(
        `This needs the ${required} role; '${identity.username}' has ${identity.role}`,
      );
    }
    return true;
  }
}

import { ExecutionContext, ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Public, RequiresRole } from '../common/auth/auth.decorators';
import { AuthGuard } from './auth.guard';
import type { Identity } from '../common/auth/identity';
import type { IdentityService } from './identity.service';

class Routes {
  @Public() open(): void {}
  @RequiresRole('viewer') read(): void {}
  @RequiresRole('operator') check(): void {}
  @RequiresRole('admin') change(): void {}
  forgotten(): void {}
}

function contextFor(handler: keyof Routes): ExecutionContext {
  const req = { method: 'GET', path: `/${handler}`, headers: {} };
  return {
    getType: () => 'http',
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => req }),
  } as unknown as ExecutionContext;
}

function guardAs(identity: Identity | null): AuthGuard {
  const identities = {
    resolve: async () => {
      if (!identity) throw new UnauthorizedException('no identity');
      return identity;
    },
  } as unknown as IdentityService;
  return new AuthGuard(new Reflector(), identities);
}

const as = (role: Identity['role']): Identity => ({
  kind: 'session',
  userId: 'u',
  username: role,
  role,
});

describe('AuthGuard', () => {
  it.each([
    ['open', null, true],
    ['read', null, 401],
    ['read', 'viewer', true],
    ['check', 'viewer', 403],
    ['check', 'operator', true],
    ['change', 'operator', 403],
    ['change', 'admin', true],
    // A route that declares nothing is refused even to an admin: forgetting fails closed.
    ['forgotten', 'admin', 403],
  ] as const)('%s as %s: %s', async (handler, role, outcome) => {
    const guard = guardAs(role ? as(role) : null);
    const result = guard.canActivate(contextFor(handler));
    if (outcome === true) await expect(result).resolves.toBe(true);
    else
      await expect(result).rejects.toBeInstanceOf(
        outcome === 401 ? UnauthorizedException : ForbiddenException,
      );
  });
});

import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { UserRole } from './roles';

export const REQUIRED_ROLE = 'hostwatch:required-role';
export const PUBLIC_ROUTE = 'hostwatch:public-route';
/** The name of the bearer security scheme in the OpenAPI document. */
export const BEARER_SCHEME = 'bearer';

/**
 * The lowest role that may call this route (viewer < operator < admin). Every route carries
 * this or @Public(); the global AuthGuard enforces it, and refuses routes that carry neither.
 */
export function RequiresRole(role: UserRole): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(REQUIRED_ROLE, role),
    ApiBearerAuth(BEARER_SCHEME),
    ApiUnauthorizedResponse({
      description: 'No identity, or an expired, revoked or invalid token',
    }),
    ApiForbiddenResponse({ description: `The identity's role is below ${role}` }),
  );
}

/** Answers without an identity: /health, login, refresh and the OIDC callback. */
export function Public(): MethodDecorator & ClassDecorator {
  return SetMetadata(PUBLIC_ROUTE, true);
}

import { HttpException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { currentRequest } from '../common/request-context';
import { IdentityService } from './identity.service';

/**
 * The OpenAPI UI and document are served by Express, outside Nest's guards: this applies the
 * same identity check (any role), so that only /health and the login routes stay open. The
 * document is also committed as openapi.json, for generating clients without a token.
 */
export function requireIdentity(identities: IdentityService) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      const identity = await identities.resolve(req);
      const store = currentRequest();
      if (store) store.identity = identity;
      next();
    } catch (error) {
      if (error instanceof HttpException) {
        res.status(error.getStatus()).json(error.getResponse());
        return;
      }
      next(error);
    }
  };
}

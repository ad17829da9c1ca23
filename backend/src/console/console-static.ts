// Layer 15 (serves the admin console): may import state-machine, common, config, database, audit, users, credentials, settings, alerts, hosts, auth, notifications, maintenance, monitoring, fleet, scheduler, events, health, metrics.
import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Paths that belong to the API process itself and never fall back to the console. */
const SERVER_PATHS = /^\/(api|health|metrics)(\/|$)/;

/**
 * Where the built console lives: CONSOLE_DIR when set, else `dist/console/browser` at the
 * repository root, found from this file both in the sources (backend/src/console, under ts
 * runners such as jest) and in the build (dist/backend/src/console).
 */
export function resolveConsoleDir(configured: string | null, from = __dirname): string | null {
  if (configured) return resolve(configured);
  const up3 = resolve(from, '..', '..', '..');
  const candidates = [join(up3, 'dist', 'console', 'browser'), join(up3, 'console', 'browser')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? null;
}

/** Client routes (/hosts/..., /settings) are answered with index.html; files come as they are. */
export function spaFallback(indexHtml: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || SERVER_PATHS.test(req.path)) {
      next();
      return;
    }
    // A missing asset (a path with an extension) is a 404, not the app shell.
    if (/\.[A-Za-z0-9]+$/.test(req.path)) {
      next();
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(indexHtml);
  };
}

/**
 * Serves the Angular console at `/` beside the API: hashed bundles cached for a year, the
 * shell never cached (so a new build shows up on reload). Without a build, `/` says how to
 * make one instead of a bare 404.
 */
export function serveConsole(app: NestExpressApplication, configured: string | null): void {
  const dir = resolveConsoleDir(configured);
  const logger = new Logger('Console');
  if (!dir || !existsSync(join(dir, 'index.html'))) {
    logger.warn(
      `Admin console not built (${configured ? `CONSOLE_DIR=${configured}` : 'dist/console/browser'} has no index.html): run \`npm run build\`. The API is unaffected.`,
    );
    app.use((req: Request, res: Response, next: NextFunction) => {
      if (req.method === 'GET' && req.path === '/') {
        res
          .status(404)
          .type('text/plain')
          .send(
            'hostwatch: the admin console is not built; run `npm run build`. API docs: /api/docs\n',
          );
        return;
      }
      next();
    });
    return;
  }
  app.useStaticAssets(dir, {
    index: false,
    setHeaders: (res, path) => {
      const hashed = /-[A-Z0-9]{8,}\.(js|css)$/.test(path);
      res.setHeader('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  app.use(spaFallback(join(dir, 'index.html')));
}

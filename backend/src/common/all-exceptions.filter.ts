import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { isDatabaseUnavailable, isRedisUnavailable } from './dependency-errors';

/**
 * The last line: HttpExceptions pass through; database constraint errors that slipped past
 * validation become 409/400 rather than 500; PostgreSQL or Redis away is a 503 that says so
 * (not logged per request: DependencyStatus logs the outage once); anything else is logged
 * (without the request body, which may hold secrets) and answered with a 500 that says nothing
 * internal.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    if (res.headersSent) return;

    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      res
        .status(status)
        .json(typeof body === 'string' ? { statusCode: status, message: body } : body);
      return;
    }

    const code = (exception as { code?: string; driverError?: { code?: string } })?.driverError
      ?.code;
    if (exception instanceof QueryFailedError && code) {
      if (code === '23505') {
        res.status(409).json({ statusCode: 409, error: 'Conflict', message: 'already exists' });
        return;
      }
      if (code === '23503') {
        res.status(409).json({
          statusCode: 409,
          error: 'Conflict',
          message: 'still referenced by another record',
        });
        return;
      }
      if (code.startsWith('22')) {
        res.status(400).json({ statusCode: 400, error: 'Bad Request', message: 'invalid value' });
        return;
      }
    }

    // body-parser and friends raise errors carrying their own status (413, 400, 415).
    const status = (exception as { status?: number; statusCode?: number })?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res.status(status).json({
        statusCode: status,
        message: (exception as Error).message ?? 'bad request',
      });
      return;
    }

    const database = isDatabaseUnavailable(exception);
    const redis = isRedisUnavailable(exception);
    if (database || redis) {
      const which = database && redis ? 'PostgreSQL or Redis' : database ? 'PostgreSQL' : 'Redis';
      res.status(HttpStatus.SERVICE_UNAVAILABLE).json({
        statusCode: 503,
        error: 'Service Unavailable',
        message: `${which} did not answer; try again shortly`,
      });
      return;
    }

    this.logger.error(
      `${req.method} ${req.path} failed: ${(exception as Error)?.message ?? String(exception)}`,
      (exception as Error)?.stack,
    );
    res.status(HttpStatus.INTERNAL_SERVER_ERROR).json({
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'internal error; see the server log',
    });
  }
}

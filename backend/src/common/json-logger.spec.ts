import { Logger } from '@nestjs/common';
import { JsonLogger } from './json-logger';
import { requestContextMiddleware } from './request-context';
import type { NextFunction, Request, Response } from 'express';

function capture(level: 'log' | 'debug' = 'log') {
  const lines: Record<string, unknown>[] = [];
  const logger = new JsonLogger(level, { write: (l: string) => lines.push(JSON.parse(l)) });
  return { logger, lines };
}

describe('JsonLogger', () => {
  it('writes one JSON object per call with time, level, message and context', () => {
    const { logger, lines } = capture();
    logger.log('Host db-7 checked', 'CheckWorker');
    logger.warn('slow', 'Scheduler');
    logger.debug('not at this level', 'X');
    logger.error('failed', 'Error: failed\n    at x', 'Boom');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({
      level: 'info',
      msg: 'Host db-7 checked',
      context: 'CheckWorker',
    });
    expect(new Date(lines[0].time as string).toISOString()).toBe(lines[0].time);
    expect(lines[1]).toMatchObject({ level: 'warn', context: 'Scheduler' });
    expect(lines[2]).toMatchObject({ level: 'error', msg: 'failed', context: 'Boom' });
    expect(lines[2].stack).toContain('at x');
  });

  it('keeps the fields of an object message and redacts secrets by path', () => {
    const { logger, lines } = capture();
    logger.log(
      {
        message: 'channel saved',
        host_id: 'h-1',
        task_id: 't-1',
        password: 'hunter2-password',
        config: { url: 'https://hooks.example/secret-path', password: 'smtp-pass' },
        headers: { authorization: 'Bearer abc.def', accept: 'json' },
        credential: { private_key: '-----BEGIN KEY-----', username: 'root' },
      },
      'Channels',
    );
    const [line] = lines;
    expect(line).toMatchObject({ msg: 'channel saved', host_id: 'h-1', task_id: 't-1' });
    const text = JSON.stringify(line);
    for (const secret of ['hunter2', 'secret-path', 'smtp-pass', 'abc.def', 'BEGIN KEY']) {
      expect(text).not.toContain(secret);
    }
    expect(line.password).toBe('[redacted]');
    expect((line.credential as Record<string, unknown>).username).toBe('root');
    expect((line.headers as Record<string, unknown>).accept).toBe('json');
  });

  it('adds the request id of the request it logs in', () => {
    const { logger, lines } = capture();
    const req = { headers: { 'x-request-id': 'req-42' }, socket: { remoteAddress: '::1' } };
    const res = { setHeader: jest.fn() };
    requestContextMiddleware(
      req as unknown as Request,
      res as unknown as Response,
      (() => logger.log('inside', 'HTTP')) as NextFunction,
    );
    logger.log('outside', 'HTTP');
    expect(res.setHeader).toHaveBeenCalledWith('X-Request-Id', 'req-42');
    expect(lines[0].request_id).toBe('req-42');
    expect(lines[1].request_id).toBeUndefined();
  });

  it('serves as the logger of Nest', () => {
    const { logger, lines } = capture('debug');
    Logger.overrideLogger(logger);
    try {
      new Logger('Scheduler').debug('tick');
    } finally {
      Logger.overrideLogger(true);
    }
    expect(lines).toEqual([
      expect.objectContaining({ level: 'debug', msg: 'tick', context: 'Scheduler' }),
    ]);
  });
});

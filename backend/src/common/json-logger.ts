import type { LoggerService, LogLevel } from '@nestjs/common';
import pino, { type DestinationStream, type Logger as Pino } from 'pino';
import { isStartupChatter } from './quiet-contexts';
import { currentRequest } from './request-context';

/**
 * Field paths whose values never reach a log line, wherever a caller puts them (a logged
 * object, a request's headers, a channel's config). Messages are plain text and carry no
 * secrets by construction; these catch structured fields.
 */
export const REDACTED_PATHS = [
  'password',
  'passphrase',
  'private_key',
  'secret',
  'client_secret',
  'token',
  'access_token',
  'refresh_token',
  'authorization',
  'cookie',
  'headers.authorization',
  'headers.cookie',
  'headers["set-cookie"]',
  'config.url',
  'config.password',
  'config.smtp_password',
  'config.routing_key',
  '*.password',
  '*.passphrase',
  '*.private_key',
  '*.secret',
  '*.client_secret',
  '*.token',
  '*.access_token',
  '*.refresh_token',
  '*.authorization',
];

/** Nest's level names and pino's. */
const PINO_LEVEL: Record<LogLevel, string> = {
  fatal: 'fatal',
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

/** process.stdout, written through its write() so that whatever wraps it (a test) sees it. */
const stdout: DestinationStream = { write: (line: string) => process.stdout.write(line) };

/**
 * LOG_FORMAT=json: Nest's logger as one JSON object per line: `time` (ISO 8601), `level`,
 * `msg`, `context`, `pid`, and inside a request `request_id` and `user_id`. A message logged
 * as an object (`logger.log({ message, host_id, task_id, ... })`) has its fields kept as
 * fields; REDACTED_PATHS are replaced by "[redacted]".
 */
export class JsonLogger implements LoggerService {
  private readonly pino: Pino;

  constructor(level: LogLevel, destination: DestinationStream = stdout) {
    this.pino = pino(
      {
        level: PINO_LEVEL[level],
        messageKey: 'msg',
        base: { pid: process.pid },
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
        redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      },
      destination,
    );
  }

  log(message: unknown, ...params: unknown[]): void {
    this.write(isStartupChatter(params) ? 'debug' : 'info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params, true);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params, true);
  }

  setLogLevels(levels: LogLevel[]): void {
    const order: LogLevel[] = ['verbose', 'debug', 'log', 'warn', 'error', 'fatal'];
    const lowest = order.find((l) => levels.includes(l));
    if (lowest) this.pino.level = PINO_LEVEL[lowest];
  }

  /**
   * Nest calls `log(message, context)` and `error(message, stack, context)`: the last string
   * parameter is the context, and for errors a string before it the stack.
   */
  private write(level: string, message: unknown, params: unknown[], withStack = false): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const rest = [...params];
    const context = typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const stack = withStack && typeof rest[0] === 'string' ? (rest.shift() as string) : undefined;
    const request = currentRequest();
    const fields: Record<string, unknown> = {};
    if (context) fields.context = context;
    if (request) {
      fields.request_id = request.requestId;
      if (request.identity?.userId) fields.user_id = request.identity.userId;
    }
    let text: string;
    if (message instanceof Error) {
      text = message.message;
      fields.stack = message.stack;
    } else if (message !== null && typeof message === 'object') {
      const { message: inner, ...own } = message as Record<string, unknown>;
      for (const [key, value] of Object.entries(own)) if (value !== undefined) fields[key] = value;
      text = typeof inner === 'string' ? inner : '';
    } else {
      text = String(message);
    }
    if (stack) fields.stack = stack;
    (this.pino as unknown as Record<string, (o: object, m: string) => void>)[level](fields, text);
  }
}

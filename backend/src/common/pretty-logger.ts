import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import { isStartupChatter } from './quiet-contexts';

/** A message logged as an object (`{ message, host_id, ... }`, for JSON logs): its text. */
function text(message: unknown): unknown {
  if (message === null || typeof message !== 'object' || message instanceof Error) return message;
  const inner = (message as { message?: unknown }).message;
  return typeof inner === 'string' ? inner : message;
}

/**
 * LOG_FORMAT=pretty: Nest's coloured text, with its start-up chatter at debug. A message
 * logged as an object prints its `message`; its other fields are for JSON logs.
 */
export class PrettyLogger extends ConsoleLogger {
  constructor(logLevels: LogLevel[]) {
    super({ logLevels });
  }

  override log(message: unknown, ...params: unknown[]): void {
    if (isStartupChatter(params)) this.debug(text(message), ...params);
    else super.log(text(message), ...params);
  }
  override warn(message: unknown, ...params: unknown[]): void {
    super.warn(text(message), ...params);
  }
  override error(message: unknown, ...params: unknown[]): void {
    super.error(text(message), ...params);
  }
  override debug(message: unknown, ...params: unknown[]): void {
    super.debug(text(message), ...params);
  }
  override verbose(message: unknown, ...params: unknown[]): void {
    super.verbose(text(message), ...params);
  }
}

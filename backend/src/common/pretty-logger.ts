import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import { isStartupChatter } from './quiet-contexts';

/** LOG_FORMAT=pretty: Nest's coloured text, with its start-up chatter at debug. */
export class PrettyLogger extends ConsoleLogger {
  constructor(logLevels: LogLevel[]) {
    super({ logLevels });
  }

  override log(message: unknown, ...params: unknown[]): void {
    if (isStartupChatter(params)) this.debug(message, ...params);
    else super.log(message, ...params);
  }
}

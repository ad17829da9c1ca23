import { ParseUUIDPipe } from '@nestjs/common';
import { badRequest } from './validation';

/** `:id` path parameters: a UUID, else a 400 naming the parameter. */
export const UuidParam = new ParseUUIDPipe({
  version: undefined,
  exceptionFactory: () => badRequest([{ field: 'id', problem: 'must be a UUID' }]),
});

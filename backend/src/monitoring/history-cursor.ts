import { badRequest } from '../common/validation';

/** A history page's cursor: the (check_time, id) of the last row of the page before. */
export interface HistoryCursor {
  checkTime: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeCursor(row: HistoryCursor): string {
  return Buffer.from(JSON.stringify([row.checkTime.toISOString(), row.id])).toString('base64url');
}

/** The cursor this API returned; anything else is a 400 naming `cursor`. */
export function decodeCursor(cursor: string): HistoryCursor {
  try {
    const [time, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const checkTime = new Date(time);
    if (Number.isNaN(checkTime.getTime()) || typeof id !== 'string' || !UUID.test(id)) {
      throw new Error();
    }
    return { checkTime, id };
  } catch {
    throw badRequest([{ field: 'cursor', problem: 'is not a cursor this API returned' }]);
  }
}

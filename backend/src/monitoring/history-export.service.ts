import { Injectable } from '@nestjs/common';
import { csvLine, ndjsonLine } from '../common/export-format';
import { badRequest } from '../common/validation';
import { CheckHistoryRepository, type ExportedCheck } from './check-history.repository';
import type { HistoryExportQueryDto } from './dto/history-export.dto';

export const HISTORY_EXPORT_COLUMNS: readonly (keyof ExportedCheck)[] = [
  'check_time',
  'host_id',
  'hostname',
  'monitoring_state',
  'previous_state',
  'success',
  'response_time_ms',
  'stage',
  'error_type',
  'error_message',
  'unreachable',
  'checked_by',
  'task_id',
];

/** Check history as CSV (a header row) or NDJSON, streamed from a cursor. */
@Injectable()
export class HistoryExportService {
  constructor(private readonly history: CheckHistoryRepository) {}

  /** Checks the query before anything is sent (a 400 cannot follow the first byte). */
  validate(query: HistoryExportQueryDto): void {
    if (query.from && query.to && query.from.getTime() > query.to.getTime()) {
      throw badRequest([{ field: 'from', problem: 'must not be after to' }]);
    }
  }

  async *export(query: HistoryExportQueryDto): AsyncGenerator<string> {
    const batches = this.history.exportBatches({
      hostId: query.host_id,
      tag: query.tag,
      states: query.state,
      from: query.from,
      to: query.to,
    });
    if ((query.format ?? 'csv') === 'csv') {
      yield csvLine(HISTORY_EXPORT_COLUMNS);
      for await (const batch of batches) {
        yield batch.map((r) => csvLine(HISTORY_EXPORT_COLUMNS.map((c) => r[c]))).join('');
      }
      return;
    }
    for await (const batch of batches) {
      yield batch.map((r) => ndjsonLine(r)).join('');
    }
  }
}

import { Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { badRequest } from '../common/validation';
import { CredentialsService } from '../credentials/credentials.service';
import { MonitoringSettingsService } from '../settings/monitoring-settings.service';
import { priorityFor } from '../state-machine';
import type { ImportReportDto, ImportRowDto } from './dto/host-import.dto';
import { HostsRepository, type ImportedHost } from './hosts.repository';
import { HostsService } from './hosts.service';
import { ansibleIniRecords } from './import/ansible-ini';
import { ansibleYamlRecords } from './import/ansible-yaml';
import { csvRecords } from './import/csv-records';
import { type ImportFormat, ImportFileError, type ImportRecord } from './import/import-record';
import { type HostDraft, type ImportLookups, readRecord } from './import/import-rows';

export interface ImportOptions {
  format: ImportFormat;
  dryRun: boolean;
  atomic: boolean;
}

/**
 * Hosts from a CSV file or an Ansible inventory: each row read, checked by the rules of
 * POST /api/hosts, matched by hostname to create or update, and reported line by line; then,
 * unless a dry run, applied in one transaction.
 */
@Injectable()
export class HostImportService {
  constructor(
    private readonly hosts: HostsRepository,
    private readonly hostsService: HostsService,
    private readonly credentials: CredentialsService,
    private readonly settings: MonitoringSettingsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async import(source: Readable, options: ImportOptions): Promise<ImportReportDto> {
    try {
      return await this.run(source, options);
    } catch (error) {
      // A fault of the whole file: a 400 naming the line (or the file).
      if (error instanceof ImportFileError) {
        throw badRequest([{ field: error.where, problem: error.problem }]);
      }
      throw error;
    }
  }

  private async run(source: Readable, options: ImportOptions): Promise<ImportReportDto> {
    const lookups = await this.lookups();
    const rows: ImportRowDto[] = [];
    const drafts = new Map<ImportRowDto, HostDraft>();
    const firstLine = new Map<string, number>();
    for await (const record of this.records(source, options.format)) {
      const { draft, errors } = readRecord(record, lookups);
      const hostname = (record.values.hostname ?? '').trim();
      const key = hostname.toLowerCase();
      const first = firstLine.get(key);
      if (hostname !== '' && first !== undefined) {
        errors.push(`hostname: '${hostname}' is already on line ${first} of this file`);
      } else if (hostname !== '') firstLine.set(key, record.line);
      const row: ImportRowDto = {
        line: record.line,
        hostname,
        action: errors.length > 0 ? 'refuse' : 'create',
        errors,
      };
      rows.push(row);
      if (errors.length === 0 && draft) drafts.set(row, draft);
    }
    const existing = await this.hosts.idsByHostname([...drafts.values()].map((d) => d.hostname));
    for (const row of drafts.keys()) {
      if (existing.has(row.hostname.toLowerCase())) row.action = 'update';
    }
    const report: ImportReportDto = {
      dry_run: options.dryRun,
      created: rows.filter((r) => r.action === 'create').length,
      updated: rows.filter((r) => r.action === 'update').length,
      refused: rows.filter((r) => r.action === 'refuse').length,
      rows,
    };
    if (options.dryRun) return report;
    if (options.atomic && report.refused > 0) {
      throw badRequest(
        rows
          .filter((r) => r.action === 'refuse')
          .map((r) => ({
            field: `line ${r.line}`,
            problem: `${r.hostname || '(no hostname)'}: ${r.errors.join('; ')}; nothing was imported (atomic=true)`,
          })),
      );
    }
    const creates: ImportedHost[] = [];
    const updates: (ImportedHost & { id: string })[] = [];
    for (const [row, draft] of drafts) {
      const host = { hostname: draft.hostname, ...draft.fields };
      if (row.action === 'create') creates.push(host);
      else updates.push({ ...host, id: existing.get(row.hostname.toLowerCase()) as string });
    }
    const now = this.clock.now();
    const priority = priorityFor('UNKNOWN', await this.settings.getPolicy());
    await this.hosts.transaction(async (tx) => {
      await this.hosts.insertImported(tx, creates, { now, priority });
      await this.hosts.updateImported(tx, updates, now);
    });
    await this.audit.record({
      action: 'host.import',
      targetType: 'host',
      details: {
        format: options.format,
        atomic: options.atomic,
        created: report.created,
        updated: report.updated,
        refused: report.refused,
      },
    });
    return report;
  }

  /** CSV rows as they stream; an inventory once read whole (groups may come after hosts). */
  private async *records(source: Readable, format: ImportFormat): AsyncGenerator<ImportRecord> {
    switch (format) {
      case 'csv':
        yield* csvRecords(source);
        return;
      case 'ansible-ini':
        yield* await ansibleIniRecords(source);
        return;
      case 'ansible-yaml':
        yield* ansibleYamlRecords(await readText(source));
    }
  }

  private async lookups(): Promise<ImportLookups> {
    const all = await this.credentials.list();
    const byUsername = new Map<string, string[]>();
    for (const c of all) byUsername.set(c.username, [...(byUsername.get(c.username) ?? []), c.id]);
    return {
      credentialsByName: new Map(all.map((c) => [c.name, c.id])),
      credentialsByUsername: byUsername,
      addressProblem: (ip) => this.hostsService.addressProblem(ip),
    };
  }
}

async function readText(source: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of source)
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
}

import { Injectable } from '@nestjs/common';
import { csvLine, ndjsonLine } from '../common/export-format';
import { type ExportedHost, HostsRepository } from './hosts.repository';

export const HOST_EXPORT_FORMATS = ['csv', 'ndjson', 'ansible-ini'] as const;
export type HostExportFormat = (typeof HOST_EXPORT_FORMATS)[number];

/** The export's columns: the import's, in its order, then what the import leaves alone. */
export const HOST_EXPORT_COLUMNS: readonly (keyof ExportedHost)[] = [
  'hostname',
  'ip_address',
  'port',
  'username',
  'credential',
  'tags',
  'description',
  'is_active',
  'id',
  'parent_host',
  'jump_host',
  'host_key_policy',
  'host_key_fingerprint',
  'monitoring_state',
  'maintenance_ends_at',
  'maintenance_reason',
  'last_check_at',
  'created_at',
  'updated_at',
];

/** An Ansible group name: letters, digits and underscores. */
export function ansibleGroup(tag: string): string {
  const name = tag.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/**
 * Every host, as CSV (a header row, then a row per host: imports back unchanged), NDJSON (an
 * object per line) or an Ansible INI inventory (each host with ansible_host, ansible_port and
 * ansible_user, then a group per tag). Read through a cursor a thousand hosts at a time, each
 * batch one chunk of text.
 */
@Injectable()
export class HostsExportService {
  constructor(private readonly hosts: HostsRepository) {}

  async *export(format: HostExportFormat): AsyncGenerator<string> {
    switch (format) {
      case 'csv':
        yield csvLine(HOST_EXPORT_COLUMNS);
        for await (const batch of this.hosts.exportBatches()) {
          yield batch.map((h) => csvLine(HOST_EXPORT_COLUMNS.map((c) => h[c]))).join('');
        }
        return;
      case 'ndjson':
        for await (const batch of this.hosts.exportBatches()) {
          yield batch
            .map((h) => ndjsonLine(Object.fromEntries(HOST_EXPORT_COLUMNS.map((c) => [c, h[c]]))))
            .join('');
        }
        return;
      case 'ansible-ini': {
        yield '# hostwatch hosts; each tag is a group\n';
        for await (const batch of this.hosts.exportBatches()) {
          yield batch.map(iniHostLine).join('');
        }
        let group: string | null = null;
        for await (const batch of this.hosts.tagBatches()) {
          let text = '';
          for (const { tag, hostname } of batch) {
            const name = ansibleGroup(tag);
            if (name !== group) {
              text += `\n[${name}]\n`;
              group = name;
            }
            text += `${hostname}\n`;
          }
          yield text;
        }
      }
    }
  }
}

function iniHostLine(h: ExportedHost): string {
  const vars = [
    h.ip_address ? `ansible_host=${h.ip_address}` : null,
    `ansible_port=${h.port}`,
    h.username ? `ansible_user=${quoted(h.username)}` : null,
  ].filter(Boolean);
  return `${h.hostname} ${vars.join(' ')}\n`;
}

function quoted(value: string): string {
  return /[\s"'#]/.test(value) ? `"${value.replace(/"/g, '')}"` : value;
}

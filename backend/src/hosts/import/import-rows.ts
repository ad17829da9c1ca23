import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { flattenValidationErrors } from '../../common/validation';
import { CreateHostDto } from '../dto/host.dto';
import type { ImportRecord } from './import-record';

/** What a row may set on a host; a field absent here is left as it is on an update. */
export interface HostFields {
  ip_address?: string | null;
  port?: number;
  credential_id?: string | null;
  tags?: string[];
  description?: string | null;
  is_active?: boolean;
}

export interface HostDraft {
  hostname: string;
  fields: HostFields;
}

/** What rows are checked against: the credentials by name and by username, and the address rule. */
export interface ImportLookups {
  credentialsByName: ReadonlyMap<string, string>;
  credentialsByUsername: ReadonlyMap<string, readonly string[]>;
  /** PROBE_ALLOWED_CIDRS' objection to an address, if any. */
  addressProblem(ip: string | null): string | null;
}

const TRUE = new Set(['true', 'yes', '1']);
const FALSE = new Set(['false', 'no', '0']);

/**
 * A record's host, or why it cannot be one. A column the file has is authoritative: an empty
 * cell means "none" (no address, the default credential, no tags, no description, port 22,
 * active). The credential is named by `credential`; without it, `username` picks the one
 * credential with that username. Values are checked by the same rules as POST /api/hosts.
 */
export function readRecord(
  record: ImportRecord,
  lookups: ImportLookups,
): { draft: HostDraft | null; errors: string[] } {
  const v = record.values;
  const errors = [...record.errors];
  const hostname = (v.hostname ?? '').trim();
  const fields: HostFields = {};
  const body: Record<string, unknown> = { hostname };
  if (v.ip_address !== undefined) fields.ip_address = v.ip_address === '' ? null : v.ip_address;
  if (v.port !== undefined) {
    if (v.port === '') fields.port = 22;
    else if (/^[0-9]{1,5}$/.test(v.port)) fields.port = Number(v.port);
    else errors.push('port: must be a whole number from 1 to 65535');
  }
  if (v.tags !== undefined) {
    fields.tags = [
      ...new Set(
        v.tags
          .split(';')
          .map((t) => t.trim())
          .filter((t) => t !== ''),
      ),
    ];
  }
  if (v.description !== undefined) fields.description = v.description === '' ? null : v.description;
  if (v.is_active !== undefined) {
    const flag = v.is_active.toLowerCase();
    if (flag === '' || TRUE.has(flag)) fields.is_active = true;
    else if (FALSE.has(flag)) fields.is_active = false;
    else errors.push('is_active: must be true or false');
  }
  const credential = credentialOf(v.credential, v.username, lookups);
  if ('error' in credential) errors.push(credential.error);
  else if (credential.id !== undefined) fields.credential_id = credential.id;

  Object.assign(body, fields);
  const dto = plainToInstance(CreateHostDto, body);
  for (const p of flattenValidationErrors(validateSync(dto, { forbidUnknownValues: false })))
    errors.push(`${p.field}: ${p.problem}`);
  if (fields.ip_address !== undefined && !errors.some((e) => e.startsWith('ip_address'))) {
    const problem = lookups.addressProblem(fields.ip_address);
    if (problem) errors.push(`ip_address: ${problem}`);
  }
  return errors.length > 0 ? { draft: null, errors } : { draft: { hostname, fields }, errors };
}

function credentialOf(
  name: string | undefined,
  username: string | undefined,
  lookups: ImportLookups,
): { id?: string | null } | { error: string } {
  if (name !== undefined && name !== '') {
    const id = lookups.credentialsByName.get(name);
    return id ? { id } : { error: `credential: no credential named '${name}'` };
  }
  if (username !== undefined && username !== '') {
    const ids = lookups.credentialsByUsername.get(username) ?? [];
    if (ids.length === 1) return { id: ids[0] };
    return {
      error:
        ids.length === 0
          ? `username: no credential logs in as '${username}'; create one, or name one in the credential column`
          : `username: ${ids.length} credentials log in as '${username}'; name one in the credential column`,
    };
  }
  // Both columns there and empty: the default credential. Neither column: left as it is.
  return name !== undefined ? { id: null } : {};
}

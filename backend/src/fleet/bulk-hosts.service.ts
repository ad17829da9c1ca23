import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { RESOLVE_REASONS } from '../alerts/alert-vocabulary';
import type { AlertChange } from '../alerts/alerts.repository';
import { AlertsRepository } from '../alerts/alerts.repository';
import { AlertsService } from '../alerts/alerts.service';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { badRequest } from '../common/validation';
import { CredentialsService } from '../credentials/credentials.service';
import { HostEventsBus } from '../hosts/host-events.bus';
import { HostStatusRepository } from '../hosts/host-status.repository';
import { toHostResponse } from '../hosts/hosts.service';
import type { HostEntity } from '../hosts/entities/host.entity';
import type { BulkHostRow, HostSelection } from '../hosts/hosts.repository';
import { HostsRepository } from '../hosts/hosts.repository';
import { CheckQueues } from '../monitoring/queue/check-queues';
import { MonitoringSettingsService } from '../settings/monitoring-settings.service';
import { priorityFor } from '../state-machine';
import { bulkProblems } from './bulk-request';
import type { BulkHostsDto, BulkResultDto, BulkSkippedDto } from './dto/bulk.dto';

/**
 * Hosts per batch: each batch is one transaction that locks only its own rows (never the
 * table), so checks keep being applied to the rest of the fleet while a bulk action runs.
 */
export const BULK_BATCH_SIZE = 500;

const MAX_TAGS = 50;

/** What one batch did. */
interface BatchOutcome {
  changed: number;
  skipped: BulkSkippedDto[];
}

/**
 * One action on many hosts (POST /api/hosts/bulk): the selection is read in id order a batch
 * at a time and each batch is applied in a transaction of its own, with the tables' owners'
 * repositories. One audit row for the whole action.
 */
@Injectable()
export class BulkHostsService {
  constructor(
    private readonly hosts: HostsRepository,
    private readonly status: HostStatusRepository,
    private readonly credentials: CredentialsService,
    private readonly settings: MonitoringSettingsService,
    private readonly queues: CheckQueues,
    private readonly alerts: AlertsRepository,
    private readonly alertEvents: AlertsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly events: HostEventsBus,
  ) {}

  async run(dto: BulkHostsDto): Promise<BulkResultDto> {
    const problems = bulkProblems(dto, this.clock.now());
    if (problems.length > 0) throw badRequest(problems);
    if (dto.action === 'set_credential' && dto.credential_id) {
      if (!(await this.credentials.exists(dto.credential_id))) {
        throw badRequest([
          { field: 'credential_id', problem: `no credential with id ${dto.credential_id}` },
        ]);
      }
    }
    const result: BulkResultDto = { matched: 0, changed: 0, skipped: [] };
    const add = (outcome: BatchOutcome) => {
      result.changed += outcome.changed;
      result.skipped.push(...outcome.skipped);
    };
    let deferred: string[] = [];
    for await (const batch of this.batches(dto)) {
      result.matched += batch.ids.length + batch.missing.length;
      result.skipped.push(...batch.missing.map((id) => ({ id, reason: 'no such host' })));
      const outcome = await this.apply(dto, batch.ids);
      if (dto.action === 'delete') {
        // A jump host whose hosts behind it are deleted by a later batch goes at the end.
        const [inUse, other] = partition(outcome.skipped, (s) => s.reason.startsWith('jump host'));
        deferred.push(...inUse.map((s) => s.id));
        add({ changed: outcome.changed, skipped: other });
      } else {
        add(outcome);
      }
    }
    if (deferred.length > 0) {
      add(await this.apply(dto, deferred));
      deferred = [];
    }
    await this.audit.record({
      action: 'host.bulk',
      targetType: 'host',
      details: {
        action: dto.action,
        ...(dto.filter !== undefined ? { filter: { ...dto.filter } } : { ids: dto.ids?.length }),
        matched: result.matched,
        changed: result.changed,
        skipped: result.skipped.length,
        ...(dto.until !== undefined ? { until: dto.until } : {}),
        ...(dto.reason !== undefined ? { reason: dto.reason } : {}),
        ...(dto.tags !== undefined ? { tags: dto.tags } : {}),
        ...(dto.credential_id !== undefined ? { credential_id: dto.credential_id } : {}),
      },
    });
    return result;
  }

  /** The selection, a batch at a time: ids as given (without repeats), or the filter's hosts. */
  private async *batches(dto: BulkHostsDto): AsyncGenerator<{ ids: string[]; missing: string[] }> {
    if (dto.ids !== undefined) {
      const ids = [...new Set(dto.ids.map((id) => id.toLowerCase()))];
      for (let i = 0; i < ids.length; i += BULK_BATCH_SIZE) {
        // Unknown ids are told apart in the batch's own transaction (apply); here all go.
        yield { ids: ids.slice(i, i + BULK_BATCH_SIZE), missing: [] };
      }
      return;
    }
    const selection: HostSelection = {
      states: dto.filter?.state,
      tag: dto.filter?.tag,
      text: dto.filter?.q,
    };
    let after: string | null = null;
    for (;;) {
      const ids = await this.hosts.selectIds(selection, after, BULK_BATCH_SIZE);
      if (ids.length === 0) return;
      yield { ids, missing: [] };
      after = ids[ids.length - 1];
      if (ids.length < BULK_BATCH_SIZE) return;
    }
  }

  private async apply(dto: BulkHostsDto, ids: string[]): Promise<BatchOutcome> {
    if (dto.action === 'check') return this.check(ids);
    // Read before the change, so each open host list is told what a host was (host_updated's
    // previous) or which host went (host_deleted), as for a change of one host.
    const before = new Map((await this.hosts.findByIds(ids)).map((h) => [h.id, h]));
    const now = this.clock.now();
    const policy = await this.settings.getPolicy();
    let resolved: AlertChange[] = [];
    const outcome = await this.hosts.transaction(async (tx) => {
      if (dto.action === 'delete') await this.hosts.lockTopology(tx);
      const rows = await this.hosts.lockForBulk(tx, ids);
      const found = new Set(rows.map((r) => r.id));
      const skipped: BulkSkippedDto[] = ids
        .filter((id) => !found.has(id))
        .map((id) => ({ id, reason: 'no such host' }));
      const skip = (r: BulkHostRow, reason: string) => skipped.push({ id: r.id, reason });
      let changed: string[] = [];
      switch (dto.action) {
        case 'maintenance_on': {
          changed = rows.map((r) => r.id);
          const entering = rows.filter((r) => r.state !== 'MAINTENANCE').map((r) => r.id);
          // A person's maintenance, as PATCH /api/hosts/:id makes it: `until` is its
          // maintenance_ends_at, when the scheduler's maintenance step ends it.
          await this.status.enterManualMaintenance(tx, changed, {
            now,
            endsAt: dto.until ? new Date(dto.until) : null,
            reason: dto.reason ?? null,
            priority: priorityFor('MAINTENANCE', policy),
          });
          resolved = await this.alerts.resolveForHosts(
            tx,
            entering,
            RESOLVE_REASONS.maintenance,
            now,
            { state: 'MAINTENANCE' },
          );
          break;
        }
        case 'maintenance_off':
          for (const r of rows) {
            if (r.state === 'MAINTENANCE') changed.push(r.id);
            else skip(r, 'not in maintenance');
          }
          await this.status.resetToUnknown(tx, changed, now, priorityFor('UNKNOWN', policy));
          break;
        case 'reset_state':
          changed = rows.map((r) => r.id);
          await this.status.resetToUnknown(tx, changed, now, priorityFor('UNKNOWN', policy));
          break;
        case 'set_tags':
        case 'add_tags':
        case 'remove_tags': {
          const writes: { id: string; tags: string[] }[] = [];
          for (const r of rows) {
            const tags = newTags(dto.action, r.tags, dto.tags ?? []);
            if (sameTags(tags, r.tags)) skip(r, 'tags already as asked');
            else if (tags.length > MAX_TAGS)
              skip(r, `would carry ${tags.length} tags; a host carries at most ${MAX_TAGS}`);
            else writes.push({ id: r.id, tags });
          }
          await this.hosts.setTagsMany(tx, writes);
          changed = writes.map((w) => w.id);
          break;
        }
        case 'set_credential': {
          const credentialId = dto.credential_id ?? null;
          for (const r of rows) {
            if (r.credentialId === credentialId) skip(r, 'already uses this credential');
            else changed.push(r.id);
          }
          await this.hosts.setCredentialMany(tx, changed, credentialId);
          break;
        }
        case 'delete': {
          const inUse = await this.hosts.jumpHostsInUse(
            tx,
            rows.map((r) => r.id),
          );
          for (const r of rows) {
            const n = inUse.get(r.id);
            if (n !== undefined) {
              skip(
                r,
                `jump host of ${n} host(s) not deleted; give them another jump_host_id first`,
              );
            } else changed.push(r.id);
          }
          resolved = await this.alerts.resolveForHosts(
            tx,
            changed,
            RESOLVE_REASONS.hostDeleted,
            now,
          );
          await this.hosts.deleteMany(tx, changed);
          break;
        }
      }
      return { changed, skipped };
    });
    this.alertEvents.announce(resolved);
    await this.announce(dto.action, outcome.changed, before);
    return { changed: outcome.changed.length, skipped: outcome.skipped };
  }

  /** Tells every open host list about the hosts a batch changed (host events, via Redis). */
  private async announce(
    action: BulkHostsDto['action'],
    changed: readonly string[],
    before: ReadonlyMap<string, HostEntity>,
  ): Promise<void> {
    const at = this.clock.now().toISOString();
    if (action === 'delete') {
      for (const id of changed) {
        const host = before.get(id);
        if (host) this.events.publish({ type: 'host_deleted', host: toHostResponse(host), at });
      }
      return;
    }
    for (const host of await this.hosts.findByIds(changed)) {
      const previous = before.get(host.id);
      if (!previous) continue;
      this.events.publish({
        type: 'host_updated',
        host: toHostResponse(host),
        previous: toHostResponse(previous),
        at,
      });
    }
  }

  /**
   * Queues a JIT check of each active host that is not in maintenance (such a check would be
   * reported, not applied); one round trip to Redis per batch.
   */
  private async check(ids: string[]): Promise<BatchOutcome> {
    const rows = await this.hosts.transaction((tx) => this.hosts.lockForBulk(tx, ids));
    const found = new Set(rows.map((r) => r.id));
    const skipped: BulkSkippedDto[] = ids
      .filter((id) => !found.has(id))
      .map((id) => ({ id, reason: 'no such host' }));
    const due: string[] = [];
    for (const r of rows) {
      if (!r.isActive) skipped.push({ id: r.id, reason: 'inactive: not checked' });
      else if (r.state === 'MAINTENANCE')
        skipped.push({ id: r.id, reason: 'in maintenance: not checked' });
      else due.push(r.id);
    }
    const policy = await this.settings.getPolicy();
    try {
      await this.queues.addJitBulk(due, policy.priorities.JIT, this.clock.now());
    } catch (error) {
      throw new ServiceUnavailableException(
        `Could not queue the checks: Redis unreachable (${(error as Error).message}); checks are paused until it is back`,
      );
    }
    return { changed: due.length, skipped };
  }
}

/** A host's tags after a tag action, in their order, new ones last. */
export function newTags(
  action: 'set_tags' | 'add_tags' | 'remove_tags',
  current: readonly string[],
  given: readonly string[],
): string[] {
  switch (action) {
    case 'set_tags':
      return [...given];
    case 'add_tags':
      return [...current, ...given.filter((t) => !current.includes(t))];
    case 'remove_tags':
      return current.filter((t) => !given.includes(t));
  }
}

function sameTags(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}

function partition<T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const item of items) (test(item) ? yes : no).push(item);
  return [yes, no];
}

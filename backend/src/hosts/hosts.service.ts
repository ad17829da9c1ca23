import { ConflictException, Injectable } from '@nestjs/common';
import { BlockList } from 'node:net';
import type { EntityManager } from 'typeorm';
import { RESOLVE_REASONS } from '../alerts/alert-vocabulary';
import type { AlertChange } from '../alerts/alerts.repository';
import { AlertsRepository } from '../alerts/alerts.repository';
import { AlertsService } from '../alerts/alerts.service';
import { AuditService } from '../audit/audit.service';
import { AppConfig } from '../config/app-config';
import { Clock } from '../common/clock';
import { findOrNotFound, saveOrConflict } from '../common/persistence';
import { badRequest } from '../common/validation';
import { CredentialsService } from '../credentials/credentials.service';
import { MonitoringSettingsService } from '../settings/monitoring-settings.service';
import { priorityFor } from '../state-machine';
import {
  CreateHostDto,
  HostListResponseDto,
  HostResponseDto,
  ListHostsQueryDto,
  UpdateHostDto,
} from './dto/host.dto';
import { HostEntity } from './entities/host.entity';
import { HostStatusEntity } from './entities/host-status.entity';
import { HostEventsBus } from './host-events.bus';
import { currentStatus } from './host-status.mapper';
import { topologyErrors } from './host-topology';
import { HostsRepository } from './hosts.repository';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** A host as the API shows it; `h` must have its status loaded (HostsRepository reads do). */
export function toHostResponse(h: HostEntity): HostResponseDto {
  return {
    id: h.id,
    hostname: h.hostname,
    ip_address: h.ipAddress,
    port: h.port,
    credential_id: h.credentialId,
    parent_host_id: h.parentHostId,
    jump_host_id: h.jumpHostId,
    tags: h.tags,
    is_active: h.status.isActive,
    monitoring_state: h.status.monitoringState,
    current_status: currentStatus(h.status.monitoringState),
    consecutive_failures: h.status.consecutiveFailures,
    consecutive_successes: h.status.consecutiveSuccesses,
    next_check_at: iso(h.status.nextCheckAt),
    last_check_at: iso(h.status.lastCheckAt),
    last_state_change_at: iso(h.status.lastStateChangeAt),
    check_priority: h.status.checkPriority,
    response_time_ms: h.status.responseTimeMs,
    last_check_stage: h.status.lastCheckStage,
    last_error_type: h.status.lastErrorType,
    last_error_message: h.status.lastErrorMessage,
    unreachable: h.status.unreachable,
    flapping: h.status.flapping,
    flap_percent: h.status.flapPercent,
    maintenance_window_id: h.status.maintenanceWindowId,
    maintenance_ends_at: iso(h.status.maintenanceEndsAt),
    maintenance_reason: h.status.maintenanceReason,
    host_key_policy: h.hostKeyPolicy,
    host_key_fingerprint: h.hostKeyFingerprint,
    host_key_type: h.hostKeyType,
    host_key_first_seen_at: iso(h.hostKeyFirstSeenAt),
    created_at: h.createdAt.toISOString(),
    updated_at: h.updatedAt.toISOString(),
  };
}

@Injectable()
export class HostsService {
  constructor(
    private readonly hosts: HostsRepository,
    private readonly credentials: CredentialsService,
    private readonly settings: MonitoringSettingsService,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly events: HostEventsBus,
    private readonly alerts: AlertsRepository,
    private readonly alertEvents: AlertsService,
  ) {
    if (config.probeAllowedCidrs.length > 0) {
      this.allowed = new BlockList();
      for (const c of config.probeAllowedCidrs)
        this.allowed.addSubnet(c.network, c.prefix, c.family);
    }
  }

  /** PROBE_ALLOWED_CIDRS as a matcher; null when every address is allowed. */
  private readonly allowed: BlockList | null = null;

  async create(dto: CreateHostDto): Promise<HostResponseDto> {
    this.checkAddressAllowed(dto.ip_address ?? null);
    await this.checkCredential(dto.credential_id);
    if (await this.hosts.findByHostname(dto.hostname)) {
      throw new ConflictException(`A host named '${dto.hostname}' already exists`);
    }
    const host = new HostEntity();
    host.hostname = dto.hostname;
    host.ipAddress = dto.ip_address ?? null;
    host.port = dto.port ?? 22;
    host.credentialId = dto.credential_id ?? null;
    host.parentHostId = dto.parent_host_id ?? null;
    host.jumpHostId = dto.jump_host_id ?? null;
    host.tags = dto.tags ?? [];
    host.hostKeyPolicy = dto.host_key_policy ?? 'tofu';
    host.status = new HostStatusEntity();
    host.status.host = host;
    host.status.isActive = dto.is_active ?? true;
    host.status.consecutiveFailures = 0;
    host.status.consecutiveSuccesses = 0;
    this.checkMaintenanceFields(dto, dto.monitoring_state ?? 'UNKNOWN');
    await this.enterState(host.status, dto.monitoring_state ?? 'UNKNOWN');
    this.setManualMaintenance(host.status, dto);
    const placed = host.parentHostId !== null || host.jumpHostId !== null;
    const saved = await this.saveMappingConflicts(
      host,
      placed ? (tx) => this.checkTopology(tx, host) : undefined,
      { topology: placed },
    );
    await this.audit.record({
      action: 'host.create',
      targetType: 'host',
      targetId: saved.id,
      details: { ...dto },
    });
    const response = toHostResponse(saved);
    this.events.publish({
      type: 'host_created',
      host: response,
      at: this.clock.now().toISOString(),
    });
    return response;
  }

  async list(query: ListHostsQueryDto): Promise<HostListResponseDto> {
    const page = query.page ?? 1;
    const pageSize = query.page_size ?? 50;
    const { items, total } = await this.hosts.list({
      states: query.state,
      tag: query.tag,
      text: query.q,
      isActive: query.is_active,
      sort: query.sort ?? 'hostname',
      order: query.order ?? 'asc',
      offset: (page - 1) * pageSize,
      limit: pageSize,
    });
    return { items: items.map(toHostResponse), total, page, page_size: pageSize };
  }

  async get(id: string): Promise<HostResponseDto> {
    return toHostResponse(await this.require(id));
  }

  async update(id: string, dto: UpdateHostDto): Promise<HostResponseDto> {
    const host = await this.require(id);
    const previous = toHostResponse(host);
    if (dto.ip_address !== undefined) this.checkAddressAllowed(dto.ip_address);
    if (dto.credential_id !== undefined) await this.checkCredential(dto.credential_id);
    if (dto.hostname !== undefined && dto.hostname !== host.hostname) {
      const holder = await this.hosts.findByHostname(dto.hostname);
      if (holder && holder.id !== host.id) {
        throw new ConflictException(`A host named '${dto.hostname}' already exists`);
      }
      host.hostname = dto.hostname;
    }
    if (dto.ip_address !== undefined) host.ipAddress = dto.ip_address;
    if (dto.port !== undefined) host.port = dto.port;
    if (dto.credential_id !== undefined) host.credentialId = dto.credential_id;
    const moved =
      (dto.parent_host_id !== undefined && dto.parent_host_id !== host.parentHostId) ||
      (dto.jump_host_id !== undefined && dto.jump_host_id !== host.jumpHostId);
    if (dto.parent_host_id !== undefined) host.parentHostId = dto.parent_host_id;
    if (dto.jump_host_id !== undefined) host.jumpHostId = dto.jump_host_id;
    if (dto.tags !== undefined) host.tags = dto.tags;
    if (dto.host_key_policy !== undefined) host.hostKeyPolicy = dto.host_key_policy;
    const status = host.status;
    if (dto.is_active !== undefined && dto.is_active !== status.isActive) {
      status.isActive = dto.is_active;
      // Back from inactive: check at once rather than at a stale time.
      if (dto.is_active && status.monitoringState !== 'MAINTENANCE')
        status.nextCheckAt = this.clock.now();
    }
    const entersMaintenance =
      dto.monitoring_state === 'MAINTENANCE' && status.monitoringState !== 'MAINTENANCE';
    this.checkMaintenanceFields(dto, dto.monitoring_state ?? status.monitoringState);
    if (dto.monitoring_state !== undefined && dto.monitoring_state !== status.monitoringState) {
      await this.enterState(status, dto.monitoring_state);
    }
    this.setManualMaintenance(status, dto);
    // The relation objects, if loaded, would override their ids on save.
    delete host.credential;
    delete host.parent;
    delete host.jumpHost;
    // Maintenance resolves the host's open problems, in the transaction that starts it.
    let resolved: AlertChange[] = [];
    const saved = await this.saveMappingConflicts(
      host,
      entersMaintenance || moved
        ? async (tx) => {
            if (moved) await this.checkTopology(tx, host);
            if (!entersMaintenance) return;
            resolved = await this.alerts.resolveForHost(
              tx,
              host.id,
              RESOLVE_REASONS.maintenance,
              this.clock.now(),
              { state: 'MAINTENANCE' },
            );
          }
        : undefined,
      { topology: moved },
    );
    this.alertEvents.announce(resolved);
    await this.audit.record({
      action: 'host.update',
      targetType: 'host',
      targetId: saved.id,
      details: { hostname: saved.hostname, changed: { ...dto } },
    });
    return this.updated(saved, previous);
  }

  async delete(id: string): Promise<void> {
    const host = await this.require(id);
    // Its open problems resolve ("host deleted") in the transaction that deletes it.
    const resolved = await this.hosts.transaction(async (tx) => {
      await this.hosts.lockTopology(tx);
      const dependents = await this.hosts.jumpDependents(tx, id);
      if (dependents.count > 0) {
        const more = dependents.count > dependents.hostnames.length ? ', ...' : '';
        throw new ConflictException(
          `Host '${host.hostname}' is the jump host of ${dependents.count} host(s) (${dependents.hostnames.join(', ')}${more}); give them another jump_host_id first`,
        );
      }
      await this.hosts.lock(tx, id);
      const changes = await this.alerts.resolveForHost(
        tx,
        id,
        RESOLVE_REASONS.hostDeleted,
        this.clock.now(),
      );
      await this.hosts.delete(id, tx);
      return changes;
    });
    this.alertEvents.announce(resolved);
    await this.audit.record({
      action: 'host.delete',
      targetType: 'host',
      targetId: id,
      details: { hostname: host.hostname, ip_address: host.ipAddress },
    });
    this.events.publish({
      type: 'host_deleted',
      host: toHostResponse(host),
      at: this.clock.now().toISOString(),
    });
  }

  /** Forgets the pinned host key; the next successful check pins the key it sees. Due at once. */
  async resetHostKey(id: string): Promise<HostResponseDto> {
    const host = await this.require(id);
    const before = toHostResponse(host);
    const previous = host.hostKeyFingerprint;
    host.hostKeyFingerprint = null;
    host.hostKeyType = null;
    host.hostKeyFirstSeenAt = null;
    if (host.status.isActive && host.status.monitoringState !== 'MAINTENANCE')
      host.status.nextCheckAt = this.clock.now();
    // Accepting the new key resolves the host's host-key alert with the reset.
    const { saved, resolved } = await this.hosts.transaction(async (tx) => {
      await this.hosts.lock(tx, id);
      const changes = await this.alerts.resolveForHost(
        tx,
        id,
        RESOLVE_REASONS.hostKeyAccepted,
        this.clock.now(),
        { kinds: ['host_key_mismatch'] },
      );
      return { saved: await this.hosts.save(host, tx), resolved: changes };
    });
    this.alertEvents.announce(resolved);
    await this.audit.record({
      action: 'host.host_key_reset',
      targetType: 'host',
      targetId: id,
      details: { hostname: host.hostname, forgotten_fingerprint: previous },
    });
    return this.updated(saved, before);
  }

  /** The response for a changed host, told to every open host list (any API process). */
  private updated(saved: HostEntity, previous: HostResponseDto): HostResponseDto {
    const host = toHostResponse(saved);
    this.events.publish({
      type: 'host_updated',
      host,
      previous,
      at: this.clock.now().toISOString(),
    });
    return host;
  }

  /** MAINTENANCE: never scheduled. UNKNOWN: counters cleared, due at once. */
  private async enterState(
    status: HostStatusEntity,
    state: 'MAINTENANCE' | 'UNKNOWN',
  ): Promise<void> {
    const now = this.clock.now();
    const policy = await this.settings.getPolicy();
    if (status.monitoringState !== undefined) status.lastStateChangeAt = now;
    status.monitoringState = state;
    status.checkPriority = priorityFor(state, policy);
    // A person's maintenance: no window holds it, no end unless given (setManualMaintenance).
    status.maintenanceWindowId = null;
    status.maintenanceEndsAt = null;
    status.maintenanceReason = null;
    if (state === 'MAINTENANCE') {
      status.nextCheckAt = null;
    } else {
      status.consecutiveFailures = 0;
      status.consecutiveSuccesses = 0;
      status.nextCheckAt = now;
    }
  }

  /**
   * maintenance_ends_at and maintenance_reason go with maintenance: given with another state
   * they are a 400, and an end time must be in the future.
   */
  private checkMaintenanceFields(
    dto: Pick<CreateHostDto, 'maintenance_ends_at' | 'maintenance_reason'>,
    state: string,
  ): void {
    const problems: { field: string; problem: string }[] = [];
    for (const field of ['maintenance_ends_at', 'maintenance_reason'] as const) {
      if (dto[field] != null && state !== 'MAINTENANCE') {
        problems.push({ field, problem: 'only for a host put in (or in) MAINTENANCE' });
      }
    }
    const now = this.clock.now();
    if (dto.maintenance_ends_at && dto.maintenance_ends_at.getTime() <= now.getTime()) {
      problems.push({
        field: 'maintenance_ends_at',
        problem: `must be in the future (it is ${now.toISOString()})`,
      });
    }
    if (problems.length > 0) throw badRequest(problems);
  }

  /**
   * The end time and reason of maintenance set by hand. Setting either takes the host from the
   * window holding it (if any): it is then the person's, until the end given.
   */
  private setManualMaintenance(
    status: HostStatusEntity,
    dto: Pick<CreateHostDto, 'maintenance_ends_at' | 'maintenance_reason'>,
  ): void {
    if (status.monitoringState !== 'MAINTENANCE') return;
    if (dto.maintenance_ends_at === undefined && dto.maintenance_reason === undefined) return;
    status.maintenanceWindowId = null;
    if (dto.maintenance_ends_at !== undefined) status.maintenanceEndsAt = dto.maintenance_ends_at;
    if (dto.maintenance_reason !== undefined) status.maintenanceReason = dto.maintenance_reason;
  }

  /**
   * PROBE_ALLOWED_CIDRS: an address outside is refused. With a restriction in force a host
   * needs an ip_address: a name resolves to whatever DNS says at probe time, so it cannot be
   * vetted here.
   */
  private checkAddressAllowed(ip: string | null): void {
    if (!this.allowed) return;
    const cidrs = this.config.probeAllowedCidrs.map((c) => `${c.network}/${c.prefix}`).join(', ');
    if (ip === null) {
      throw badRequest([
        {
          field: 'ip_address',
          problem: `is required while PROBE_ALLOWED_CIDRS restricts probes (${cidrs}); a hostname alone cannot be checked against it`,
        },
      ]);
    }
    const mapped = ip.toLowerCase().startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
    if (!this.allowed.check(mapped, mapped.includes(':') ? 'ipv6' : 'ipv4')) {
      throw badRequest([
        {
          field: 'ip_address',
          problem: `${ip} is outside the networks hosts may be in (PROBE_ALLOWED_CIDRS: ${cidrs})`,
        },
      ]);
    }
  }

  /**
   * The host's parent and jump host keep the topology's rules (host-topology.ts), checked in
   * the transaction that saves the host, under the topology lock (saveMappingConflicts).
   */
  private async checkTopology(tx: EntityManager, host: HostEntity): Promise<void> {
    const up = [host.parentHostId, host.jumpHostId].filter((id): id is string => id !== null);
    const [above, dependents] = await Promise.all([
      this.hosts.linksAbove(tx, up),
      host.id && host.jumpHostId !== null
        ? this.hosts.jumpDependents(tx, host.id)
        : Promise.resolve({ count: 0 }),
    ]);
    const errors = topologyErrors(
      {
        hostId: host.id ?? null,
        parentHostId: host.parentHostId,
        jumpHostId: host.jumpHostId,
        jumpDependents: dependents.count,
      },
      above,
    );
    if (errors.length > 0) throw badRequest(errors);
  }

  private async checkCredential(credentialId: string | null | undefined): Promise<void> {
    if (credentialId && !(await this.credentials.exists(credentialId))) {
      throw badRequest([
        { field: 'credential_id', problem: `no credential with id ${credentialId}` },
      ]);
    }
  }

  /**
   * Saves (with `alongside` in the same transaction, when given). The name check above can
   * race another request; the unique index has the last word: a taken name is a 409.
   */
  private saveMappingConflicts(
    host: HostEntity,
    alongside?: (tx: EntityManager) => Promise<void>,
    options: { topology?: boolean } = {},
  ): Promise<HostEntity> {
    return saveOrConflict(
      () =>
        !alongside
          ? this.hosts.save(host)
          : this.hosts.transaction(async (tx) => {
              // The topology lock before the host's, in the order delete takes them.
              if (options.topology) await this.hosts.lockTopology(tx);
              if (host.id) await this.hosts.lock(tx, host.id);
              await alongside(tx);
              return this.hosts.save(host, tx);
            }),
      `A host named '${host.hostname}' already exists`,
    );
  }

  private require(id: string): Promise<HostEntity> {
    return findOrNotFound(() => this.hosts.findById(id), `Host '${id}' not found`);
  }
}

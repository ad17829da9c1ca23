import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { badRequest, type FieldProblem } from '../common/validation';
import {
  CreateMaintenanceWindowDto,
  ListMaintenanceWindowsQueryDto,
  MaintenanceWindowResponseDto,
  RecurrenceDto,
  UpdateMaintenanceWindowDto,
} from './dto/maintenance-window.dto';
import { MaintenanceWindowEntity } from './entities/maintenance-window.entity';
import { MaintenanceScheduleService } from './maintenance-schedule.service';
import { MaintenanceWindowsRepository } from './maintenance-windows.repository';
import {
  activeOccurrence,
  recurrenceProblems,
  upcomingOccurrences,
  type Recurrence,
} from './occurrences';

/** How many occurrences an answer lists. */
export const NEXT_OCCURRENCES = 5;

export function toMaintenanceWindowResponse(
  w: MaintenanceWindowEntity,
  now: Date,
): MaintenanceWindowResponseDto {
  return {
    id: w.id,
    name: w.name,
    reason: w.reason,
    host_ids: w.hostIds,
    tags: w.tags,
    starts_at: w.startsAt ? w.startsAt.toISOString() : null,
    ends_at: w.endsAt ? w.endsAt.toISOString() : null,
    recurrence: w.recurrence,
    active: activeOccurrence(w, now) !== null,
    next_occurrences: upcomingOccurrences(w, now, NEXT_OCCURRENCES).map((o) => ({
      starts_at: o.startsAt.toISOString(),
      ends_at: o.endsAt.toISOString(),
    })),
    created_at: w.createdAt.toISOString(),
    updated_at: w.updatedAt.toISOString(),
  };
}

/** A recurrence as stored: only the fields given, the zone defaulting to UTC. */
function toRecurrence(dto: RecurrenceDto): Recurrence {
  const r: Recurrence = {
    duration_minutes: dto.duration_minutes,
    time_zone: dto.time_zone ?? 'UTC',
  };
  if (dto.cron !== undefined) r.cron = dto.cron.trim();
  if (dto.weekdays !== undefined) r.weekdays = dto.weekdays;
  if (dto.start_time !== undefined) r.start_time = dto.start_time;
  return r;
}

/**
 * Maintenance windows: planned quiet for hosts named by id or tag, once or on a schedule.
 * After every change the windows are applied at once (MaintenanceScheduleService), so the
 * answer's `active` and the hosts' states agree.
 */
@Injectable()
export class MaintenanceWindowsService {
  constructor(
    private readonly windows: MaintenanceWindowsRepository,
    private readonly schedule: MaintenanceScheduleService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async list(query: ListMaintenanceWindowsQueryDto): Promise<MaintenanceWindowResponseDto[]> {
    const now = this.clock.now();
    const all = (await this.windows.findAll()).map((w) => toMaintenanceWindowResponse(w, now));
    return query.active === undefined ? all : all.filter((w) => w.active === query.active);
  }

  async get(id: string): Promise<MaintenanceWindowResponseDto> {
    return toMaintenanceWindowResponse(await this.require(id), this.clock.now());
  }

  async create(dto: CreateMaintenanceWindowDto): Promise<MaintenanceWindowResponseDto> {
    const w = new MaintenanceWindowEntity();
    w.name = dto.name;
    w.reason = dto.reason ?? null;
    w.hostIds = dto.host_ids ?? [];
    w.tags = dto.tags ?? [];
    w.startsAt = dto.starts_at ?? null;
    w.endsAt = dto.ends_at ?? null;
    w.recurrence = dto.recurrence ? toRecurrence(dto.recurrence) : null;
    this.check(w, { timesGiven: true });
    await this.ensureNameFree(w.name);
    const saved = await this.save(w);
    await this.audit.record({
      action: 'maintenance_window.create',
      targetType: 'maintenance_window',
      targetId: saved.id,
      details: { ...dto },
    });
    return this.applied(saved);
  }

  async update(id: string, dto: UpdateMaintenanceWindowDto): Promise<MaintenanceWindowResponseDto> {
    const w = await this.require(id);
    if (dto.name !== undefined && dto.name !== w.name) await this.ensureNameFree(dto.name);
    if (dto.name !== undefined) w.name = dto.name;
    if (dto.reason !== undefined) w.reason = dto.reason;
    if (dto.host_ids !== undefined) w.hostIds = dto.host_ids;
    if (dto.tags !== undefined) w.tags = dto.tags;
    const timesGiven = dto.starts_at !== undefined || dto.ends_at !== undefined;
    if (dto.recurrence) {
      w.recurrence = toRecurrence(dto.recurrence);
      w.startsAt = null;
      w.endsAt = null;
    }
    if (timesGiven) {
      if (dto.starts_at !== undefined) w.startsAt = dto.starts_at;
      if (dto.ends_at !== undefined) w.endsAt = dto.ends_at;
      if (!dto.recurrence) w.recurrence = null;
    }
    if (dto.recurrence === null) w.recurrence = null;
    this.check(w, { timesGiven });
    const saved = await this.save(w);
    await this.audit.record({
      action: 'maintenance_window.update',
      targetType: 'maintenance_window',
      targetId: saved.id,
      details: { name: saved.name, changed: { ...dto } },
    });
    return this.applied(saved);
  }

  async delete(id: string): Promise<void> {
    const w = await this.require(id);
    await this.windows.delete(id);
    await this.audit.record({
      action: 'maintenance_window.delete',
      targetType: 'maintenance_window',
      targetId: id,
      details: { name: w.name },
    });
    // Its hosts leave maintenance now, not at the next tick.
    await this.schedule.apply(this.clock.now());
  }

  /**
   * A whole window: one-off (both times, the end after the start and in the future) or
   * recurring (a sound recurrence), never both. `timesGiven`: whether this request set the
   * times (an untouched one-off window that has ended may still be renamed).
   */
  private check(w: MaintenanceWindowEntity, { timesGiven }: { timesGiven: boolean }): void {
    const now = this.clock.now();
    const problems: FieldProblem[] = [];
    if (w.recurrence) {
      if (w.startsAt !== null || w.endsAt !== null) {
        const field = w.startsAt !== null ? 'starts_at' : 'ends_at';
        problems.push({
          field,
          problem: 'a recurring window has no starts_at or ends_at; give one or the other',
        });
      }
      problems.push(...recurrenceProblems(w.recurrence, now));
    } else {
      if (w.startsAt === null) {
        problems.push({ field: 'starts_at', problem: 'is required unless recurrence is given' });
      }
      if (w.endsAt === null) {
        problems.push({ field: 'ends_at', problem: 'is required unless recurrence is given' });
      }
      if (w.startsAt !== null && w.endsAt !== null) {
        if (w.endsAt.getTime() <= w.startsAt.getTime()) {
          problems.push({
            field: 'ends_at',
            problem: `must be after starts_at (${w.startsAt.toISOString()})`,
          });
        } else if (timesGiven && w.endsAt.getTime() <= now.getTime()) {
          problems.push({
            field: 'ends_at',
            problem: `must be in the future (it is ${now.toISOString()})`,
          });
        }
      }
    }
    if (problems.length > 0) throw badRequest(problems);
  }

  /** Applies the windows as they now are, then answers with the window. */
  private async applied(w: MaintenanceWindowEntity): Promise<MaintenanceWindowResponseDto> {
    const now = this.clock.now();
    await this.schedule.apply(now);
    return toMaintenanceWindowResponse(w, now);
  }

  private async ensureNameFree(name: string): Promise<void> {
    if (await this.windows.findByName(name)) {
      throw new ConflictException(`A maintenance window named '${name}' already exists`);
    }
  }

  private async save(w: MaintenanceWindowEntity): Promise<MaintenanceWindowEntity> {
    try {
      return await this.windows.save(w);
    } catch (error) {
      if ((error as { driverError?: { code?: string } }).driverError?.code === '23505') {
        throw new ConflictException(`A maintenance window named '${w.name}' already exists`);
      }
      throw error;
    }
  }

  private async require(id: string): Promise<MaintenanceWindowEntity> {
    const w = await this.windows.findById(id);
    if (!w) throw new NotFoundException(`Maintenance window '${id}' not found`);
    return w;
  }
}

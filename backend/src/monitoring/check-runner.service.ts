import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { Clock } from '../common/clock';
import { CredentialsService } from '../credentials/credentials.service';
import type { CredentialEntity } from '../credentials/entities/credential.entity';
import { HostsRepository } from '../hosts/hosts.repository';
import { CheckResultService } from './check-result.service';
import type { CheckOutcomeDto } from './dto/check-outcome.dto';
import { ProbeCredential, ProbeResult, SSH_PROBE, SshProbe } from './probe/probe.types';
import type { CheckHostJobData } from './queue/monitoring.constants';

/** How long the default credential is trusted from memory (edits show up within this). */
const DEFAULT_CREDENTIAL_CACHE_MS = 2000;

export type CheckRunOutcome =
  { status: 'applied'; outcome: CheckOutcomeDto } | { status: 'skipped'; reason: string };

/** Thrown when the probe ran but its result could not be saved; the job is retried with it. */
export class ApplyFailedError extends Error {
  constructor(
    readonly pending: { result: ProbeResult; checked_at: string },
    cause: unknown,
  ) {
    super(`could not save the check result: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'ApplyFailedError';
  }
}

/** One check, end to end: read the host, probe it, apply the result. */
@Injectable()
export class CheckRunnerService {
  private defaultCredential: { value: CredentialEntity | null; at: number } | null = null;

  constructor(
    private readonly hosts: HostsRepository,
    private readonly credentials: CredentialsService,
    private readonly results: CheckResultService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    @Inject(SSH_PROBE) private readonly probe: SshProbe,
  ) {}

  async run(taskId: string, data: CheckHostJobData): Promise<CheckRunOutcome> {
    let result: ProbeResult;
    let checkedAt: Date;
    if (data.pending_result) {
      result = data.pending_result.result;
      checkedAt = new Date(data.pending_result.checked_at);
    } else {
      const host = await this.hosts.findWithCredential(data.host_id);
      if (!host) return { status: 'skipped', reason: 'host deleted' };
      if (
        data.checked_by === 'scheduler' &&
        (!host.isActive || host.monitoringState === 'MAINTENANCE')
      ) {
        return { status: 'skipped', reason: 'host inactive or in maintenance' };
      }
      const credentialEntity = host.credential ?? (await this.cachedDefaultCredential());
      let credential: ProbeCredential | null = null;
      if (credentialEntity) credential = this.credentials.toProbeCredential(credentialEntity);
      result = await this.probe.probe({
        host: host.ipAddress ?? host.hostname,
        port: host.port,
        hostKeyPolicy: host.hostKeyPolicy,
        pinnedFingerprint: host.hostKeyFingerprint,
        credential,
        connectTimeoutMs: this.config.probeConnectTimeoutMs,
        timeoutMs: this.config.probeTimeoutMs,
      });
      checkedAt = this.clock.now();
      if (result.error_message?.includes('{id}')) {
        // The probe knows no ids; make its advice (".../hosts/{id}/host-key/reset") usable as is.
        result = { ...result, error_message: result.error_message.replaceAll('{id}', host.id) };
      }
    }

    try {
      const outcome = await this.results.apply({
        hostId: data.host_id,
        taskId,
        checkedBy: data.checked_by,
        result,
        checkedAt,
      });
      return outcome
        ? { status: 'applied', outcome }
        : { status: 'skipped', reason: 'host deleted' };
    } catch (error) {
      throw new ApplyFailedError({ result, checked_at: checkedAt.toISOString() }, error);
    }
  }

  private async cachedDefaultCredential(): Promise<CredentialEntity | null> {
    const now = this.clock.now().getTime();
    if (this.defaultCredential && now - this.defaultCredential.at < DEFAULT_CREDENTIAL_CACHE_MS) {
      return this.defaultCredential.value;
    }
    const value = await this.credentials.findDefaultEntity();
    this.defaultCredential = { value, at: now };
    return value;
  }
}

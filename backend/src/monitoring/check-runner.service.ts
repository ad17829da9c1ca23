import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { Clock } from '../common/clock';
import { CredentialsService } from '../credentials/credentials.service';
import { HostsRepository } from '../hosts/hosts.repository';
import type { HostSnapshot } from '../state-machine';
import { CheckResultService } from './check-result.service';
import type { CheckOutcomeDto } from './dto/check-outcome.dto';
import { ProbeCredential, ProbeResult, SSH_PROBE, SshProbe } from '../common/probe.types';
import type { CheckHostJobData } from './queue/monitoring.constants';

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

/**
 * One check, end to end: read the host (one statement), probe it, apply the result (one
 * statement in the common case, see CheckResultService).
 */
@Injectable()
export class CheckRunnerService {
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
    let snapshot: HostSnapshot | undefined;
    if (data.pending_result) {
      result = data.pending_result.result;
      checkedAt = new Date(data.pending_result.checked_at);
    } else {
      const host = await this.hosts.findForCheck(data.host_id);
      if (!host) return { status: 'skipped', reason: 'host deleted' };
      if (
        data.checked_by === 'scheduler' &&
        (!host.is_active || host.monitoring_state === 'MAINTENANCE')
      ) {
        return { status: 'skipped', reason: 'host inactive or in maintenance' };
      }
      let credential: ProbeCredential | null = null;
      if (host.credential_id !== null && host.credential_version !== null) {
        credential = await this.credentials.probeCredential(
          host.credential_id,
          host.credential_version,
        );
      }
      // The state the result will be applied against, unless another check got there first.
      snapshot = {
        state: host.monitoring_state,
        consecutive_failures: host.consecutive_failures,
        consecutive_successes: host.consecutive_successes,
      };
      result = await this.probe.probe({
        host: host.ip_address ?? host.hostname,
        port: host.port,
        hostKeyPolicy: host.host_key_policy,
        pinnedFingerprint: host.host_key_fingerprint,
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
        snapshot,
      });
      return outcome
        ? { status: 'applied', outcome }
        : { status: 'skipped', reason: 'host deleted' };
    } catch (error) {
      throw new ApplyFailedError({ result, checked_at: checkedAt.toISOString() }, error);
    }
  }
}

/**
 * Probes through a jump host (figure 11): hostwatch's probe adapter in a closed loop against
 * the simulated fleet, directly and through a real OpenSSH sshd as the jump host, with the
 * jump connection shared (as hostwatch does) and opened per probe (ProxyJump as `ssh -J` does
 * it, each check its own bastion login).
 */
import type {
  JumpRequest,
  ProbeCredential,
  ProbeRequest,
} from '../../backend/src/common/probe.types';
import { Ssh2Probe } from '../../backend/src/monitoring/probe/ssh2-probe.adapter';
import { startSshd } from '../../tools/peers/sshd';
import { closedLoop, type LoopResult, type Ssh2LoopOptions, type Target } from './loops';

export interface JumpFigures {
  direct: LoopResult;
  shared: LoopResult;
  perProbe: LoopResult;
  /** SSH logins on the jump host in each run through it. */
  sharedLogins: number;
  perProbeLogins: number;
}

export async function measureJump(
  targets: Target[],
  concurrency: number,
  durationMs: number,
  options: Ssh2LoopOptions,
): Promise<JumpFigures> {
  const jumpSshd = await startSshd({ listenAddress: '127.0.0.1' });
  try {
    const credential: ProbeCredential = {
      username: options.username,
      auth_method: 'private_key',
      private_key: options.privateKey,
      passphrase: options.passphrase,
    };
    const jump = (key: string): JumpRequest => ({
      host: jumpSshd.host,
      port: jumpSshd.port,
      hostKeyPolicy: 'strict',
      pinnedFingerprint: jumpSshd.hostKeyFingerprint,
      credential: {
        username: jumpSshd.username,
        auth_method: 'private_key',
        private_key: jumpSshd.privateKey,
      },
      key,
    });
    const request = (target: Target, via: JumpRequest | null): ProbeRequest => ({
      host: target.address,
      port: target.port,
      hostKeyPolicy: 'off',
      pinnedFingerprint: null,
      credential,
      connectTimeoutMs: 5000,
      timeoutMs: options.timeoutMs ?? 10000,
      jump: via,
    });
    const failure = (r: {
      success: boolean;
      error_type: string | null;
      error_message: string | null;
    }) => (r.success ? null : `${r.error_type}: ${r.error_message}`);

    const probe = new Ssh2Probe();
    const direct = await closedLoop(targets, concurrency, durationMs, async (t) =>
      failure(await probe.probe(request(t, null))),
    );

    const sharedLeg = jump('bench-shared');
    const shared = await closedLoop(targets, concurrency, durationMs, async (t) =>
      failure(await probe.probe(request(t, sharedLeg))),
    );
    probe.onModuleDestroy();
    const sharedLogins = probe.jumps.opened;

    // Each probe its own jump connection, closed when it is done.
    let perProbeLogins = 0;
    let n = 0;
    const perProbe = await closedLoop(targets, concurrency, durationMs, async (t) => {
      const own = new Ssh2Probe();
      try {
        return failure(await own.probe(request(t, jump(`bench-own-${n++}`))));
      } finally {
        own.onModuleDestroy();
        perProbeLogins += own.jumps.opened;
      }
    });
    return { direct, shared, perProbe, sharedLogins, perProbeLogins };
  } finally {
    await jumpSshd.stop();
  }
}

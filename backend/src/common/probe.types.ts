/**
 * The contract between the worker and the SSH probe adapter. A probe never throws and never
 * rejects: every outcome, including the probe's own bugs, is a ProbeResult.
 * Shared vocabulary: hosts, credentials and monitoring all speak it, so it sits in common/;
 * the ssh2 adapter that implements it stays in monitoring/probe/.
 */
export const PROBE_STAGES = ['jump', 'connect', 'banner', 'kex', 'auth'] as const;
/**
 * jump: the jump host's leg (connecting to it, its host key, authenticating to it; the error
 * type then is the jump host's); connect: TCP (through a jump host: opening the forwarded
 * channel); banner: SSH identification line; kex: key exchange + host-key check; auth:
 * authentication.
 */
export type ProbeStage = (typeof PROBE_STAGES)[number];

export const PROBE_ERROR_TYPES = [
  'dns_failure',
  'connection_refused',
  'host_unreachable',
  'network_unreachable',
  'timeout',
  'not_ssh',
  'protocol_error',
  'host_key_mismatch',
  'host_key_unknown',
  'auth_failed',
  'internal_error',
] as const;
export type ProbeErrorType = (typeof PROBE_ERROR_TYPES)[number];

export const HOST_KEY_POLICIES = ['tofu', 'strict', 'off'] as const;
/** tofu: pin on first success, refuse a changed key; strict: refuse any key not pinned; off: accept any key, pin nothing. */
export type HostKeyPolicy = (typeof HOST_KEY_POLICIES)[number];

export type AuthMethod = 'password' | 'private_key';

/** A decrypted credential, held only for the duration of one probe. */
export interface ProbeCredential {
  username: string;
  auth_method: AuthMethod;
  password?: string;
  private_key?: string;
  passphrase?: string;
}

export interface ProbeRequest {
  /** IP address or DNS name to connect to. */
  host: string;
  port: number;
  hostKeyPolicy: HostKeyPolicy;
  /** The pinned fingerprint in `SHA256:<base64 without padding>` form, or null when none is pinned. */
  pinnedFingerprint: string | null;
  /** Null: stop after key exchange and host-key check; success then means "SSH answered". */
  credential: ProbeCredential | null;
  connectTimeoutMs: number;
  /** Deadline for the whole probe, connect included. */
  timeoutMs: number;
  /** Probe through this host (ProxyJump: a direct-tcpip channel opened on the jump host). */
  jump?: JumpRequest | null;
}

/** The jump host's leg of a probe: where to connect, how to verify it and log in. */
export interface JumpRequest {
  host: string;
  port: number;
  hostKeyPolicy: HostKeyPolicy;
  pinnedFingerprint: string | null;
  credential: ProbeCredential | null;
  /**
   * Names the jump connection: probes with the same key share one SSH connection to the jump
   * host. It must change whenever anything above does (the host's inventory version and its
   * credential's version).
   */
  key: string;
}

export interface ObservedHostKey {
  /** `SHA256:<base64 without padding>`, as `ssh-keygen -l` prints it. */
  fingerprint: string;
  /** The key's algorithm name as sent by the server, e.g. `ssh-ed25519`. */
  type: string;
}

export interface ProbeResult {
  success: boolean;
  /** The last stage the probe reached: where it failed, or the last one it completed. */
  stage: ProbeStage;
  response_time_ms: number;
  error_type: ProbeErrorType | null;
  error_message: string | null;
  /** The host key the server presented, when the probe got that far. */
  host_key: ObservedHostKey | null;
}

export interface SshProbe {
  probe(request: ProbeRequest): Promise<ProbeResult>;
}

/** Nest injection token for the SshProbe adapter. */
export const SSH_PROBE = Symbol('SSH_PROBE');

/**
 * The contract between the worker and the SSH probe adapter. A probe never throws and never
 * rejects: every outcome, including the probe's own bugs, is a ProbeResult.
 * Shared vocabulary: hosts, credentials and monitoring all speak it, so it sits in common/;
 * the ssh2 adapter that implements it stays in monitoring/probe/.
 */
export const PROBE_STAGES = ['connect', 'banner', 'kex', 'auth'] as const;
/** connect: TCP; banner: SSH identification line; kex: key exchange + host-key check; auth: authentication. */
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

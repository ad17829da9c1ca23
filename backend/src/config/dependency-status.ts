import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';

/** The services hostwatch cannot work without. */
export const DEPENDENCIES = ['redis', 'database'] as const;
export type Dependency = (typeof DEPENDENCIES)[number];

/** One dependency as this process sees it. */
export interface DependencyState {
  up: boolean;
  /** When it last went away or came back (process start while it has always been up). */
  since: Date;
  /** Why it is down (the last error), null while up. */
  reason: string | null;
  /** Outages seen by this process since it started. */
  outages: number;
  /** Seconds it has been down in total since this process started, the current outage included. */
  downSeconds: number;
}

const WHAT: Record<Dependency, { name: string; effect: string; back: string }> = {
  redis: {
    name: 'Redis',
    effect:
      'checks are paused, JIT checks answer 503 and rate limits are not enforced until it is back; reads keep working',
    back: 'checks resume',
  },
  database: {
    name: 'PostgreSQL',
    effect: 'results wait in their jobs and are applied once it is back',
    back: 'results are applied again',
  },
};

type Listener = (dependency: Dependency, state: DependencyState) => void;

/**
 * Which dependency this process has lost, and since when. Anything that notices an outage
 * (the watcher's pings, a worker's connection error) says so here; the log gets one line when
 * a dependency goes away and one when it comes back, however many jobs and requests ran into
 * it meanwhile. Readiness, metrics, the stats and the console read it from here.
 */
@Injectable()
export class DependencyStatus {
  private readonly logger = new Logger('Dependencies');
  private readonly states = new Map<Dependency, DependencyState>();
  private readonly listeners = new Set<Listener>();
  private readonly descriptions = new Map<Dependency, string>();

  constructor(private readonly clock: Clock) {
    const now = clock.now();
    for (const dependency of DEPENDENCIES) {
      this.states.set(dependency, {
        up: true,
        since: now,
        reason: null,
        outages: 0,
        downSeconds: 0,
      });
    }
  }

  /** Names the dependency in log lines ("Redis at 10.0.0.5:6379"). */
  describe(dependency: Dependency, description: string): void {
    this.descriptions.set(dependency, description);
  }

  isUp(dependency: Dependency): boolean {
    return this.states.get(dependency)!.up;
  }

  /** Every dependency is up. */
  allUp(): boolean {
    return DEPENDENCIES.every((d) => this.isUp(d));
  }

  state(dependency: Dependency): DependencyState {
    const state = this.states.get(dependency)!;
    const current = state.up ? 0 : (this.clock.now().getTime() - state.since.getTime()) / 1000;
    return { ...state, downSeconds: round(state.downSeconds + current) };
  }

  snapshot(): Record<Dependency, DependencyState> {
    return Object.fromEntries(DEPENDENCIES.map((d) => [d, this.state(d)])) as Record<
      Dependency,
      DependencyState
    >;
  }

  /** It went away (or still is); logs only when it was up. Returns whether that changed. */
  down(dependency: Dependency, reason: string): boolean {
    const state = this.states.get(dependency)!;
    if (!state.up) {
      state.reason = reason;
      return false;
    }
    const now = this.clock.now();
    Object.assign(state, { up: false, since: now, reason, outages: state.outages + 1 });
    this.logger.warn(`${this.name(dependency)} went away (${reason}): ${WHAT[dependency].effect}`);
    this.emit(dependency);
    return true;
  }

  /** It answers again; logs only when it was down. Returns whether that changed. */
  up(dependency: Dependency): boolean {
    const state = this.states.get(dependency)!;
    if (state.up) return false;
    const now = this.clock.now();
    const seconds = (now.getTime() - state.since.getTime()) / 1000;
    Object.assign(state, {
      up: true,
      since: now,
      reason: null,
      downSeconds: state.downSeconds + seconds,
    });
    this.logger.log(
      `${this.name(dependency)} is back after ${seconds.toFixed(1)} s: ${WHAT[dependency].back}`,
    );
    this.emit(dependency);
    return true;
  }

  /** Resolves true once the dependency is up (at once if it is), false after `timeoutMs`. */
  waitUntilUp(dependency: Dependency, timeoutMs: number): Promise<boolean> {
    if (this.isUp(dependency)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        stop();
        resolve(false);
      }, timeoutMs);
      const stop = this.onChange((changed, state) => {
        if (changed !== dependency || !state.up) return;
        clearTimeout(timer);
        stop();
        resolve(true);
      });
    });
  }

  /** Calls `listener` on every change from now on; returns the way to stop. */
  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private name(dependency: Dependency): string {
    return this.descriptions.get(dependency) ?? WHAT[dependency].name;
  }

  private emit(dependency: Dependency): void {
    const state = this.state(dependency);
    for (const listener of this.listeners) {
      try {
        listener(dependency, state);
      } catch (error) {
        this.logger.error(`A dependency listener failed: ${(error as Error).message}`);
      }
    }
  }
}

function round(seconds: number): number {
  return Math.round(seconds * 10) / 10;
}

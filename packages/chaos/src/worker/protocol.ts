import type { LockEvent, LockKind, WorkerEvent } from '../history.js';

/** One contended key: a mutex (`max` 1) or a semaphore of `max` holders. */
export interface KeySpec {
  readonly key: string;
  readonly kind: LockKind;
  readonly max: number;
}

/** What a worker process is told at spawn, through the `CHAOS_WORKER` environment variable (JSON). */
export interface WorkerConfig {
  readonly id: string;
  readonly seed: number;
  readonly connectString: string;
  readonly pathPrefix: string;
  readonly sessionTimeoutMs: number;
  readonly keys: ReadonlyArray<KeySpec>;
  /** The worker appends its history here, one JSON line per event, synchronously. */
  readonly historyFile: string;
  /** Hold times are drawn from [lo, hi) ms. */
  readonly holdMs: readonly [number, number];
  /** Pause between attempts, drawn from [lo, hi) ms. */
  readonly thinkMs: readonly [number, number];
  readonly lockTimeoutMs: number;
  /** The timeout of post-heal attempts: far above any contention they can meet. */
  readonly drainTimeoutMs: number;
}

/**
 * Runner → worker.
 * - `pin`: keep the next acquisition held until `unpin` (or `maxMs`), and report it with `pinned`,
 *   so a fault can be aimed at a holder (kill it, stall it, pause its server).
 * - `stall`: block the event loop (busy loop) for `ms`, as a long GC pause would.
 * - `drain`: stop the random workload, acquire every key once with the drain timeout, then exit.
 */
export type ToWorker =
  | { readonly type: 'pin'; readonly maxMs: number }
  | { readonly type: 'unpin' }
  | { readonly type: 'stall'; readonly ms: number }
  | { readonly type: 'drain' };

/** Worker → runner: every history event as it is logged, and the pinned hold's session. */
export type FromWorker =
  | { readonly type: 'event'; readonly event: LockEvent | WorkerEvent }
  | { readonly type: 'pinned'; readonly key: string; readonly session: string };

export const WORKER_CONFIG_ENV = 'CHAOS_WORKER';

/**
 * What demo workers tell the demo runner (over the child-process IPC channel). Times are
 * `Date.now()` of the worker; all workers run on one machine, so they share one clock.
 */
export type WorkerReport =
  | { readonly type: 'ready'; readonly worker: string }
  | { readonly type: 'waiting'; readonly worker: string; readonly at: number }
  | {
      readonly type: 'acquired';
      readonly worker: string;
      readonly at: number;
      /** The node name, `lock-<sequence>`. */
      readonly node: string;
      /** The fencing token in decimal (a bigint does not survive JSON). */
      readonly fencingToken: string;
    }
  | { readonly type: 'releasing'; readonly worker: string; readonly at: number }
  | { readonly type: 'done'; readonly worker: string }
  | { readonly type: 'failed'; readonly worker: string; readonly message: string };

/** What the runner tells a worker: start contending now (all workers are up). */
export interface StartSignal {
  readonly type: 'start';
}

/** A worker's settings, passed as one JSON command-line argument. */
export interface WorkerSettings {
  readonly worker: string;
  /** ZooKeeper `host:port` (the 2.x serverLocator is built from it). */
  readonly server: string;
  readonly pathPrefix: string;
  readonly key: string;
  readonly rounds: number;
  /** Each hold lasts between these many ms (inclusive), picked at random. */
  readonly holdMs: readonly [number, number];
}

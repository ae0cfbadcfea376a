/** What a load worker is told at spawn, through the `LOAD_WORKER` environment variable (JSON). */
export interface LoadWorkerConfig {
  readonly connectString: string;
  readonly pathPrefix: string;
  readonly keys: number;
  readonly acquisitions: number;
  /** Concurrent acquire→release loops in the process. */
  readonly concurrency: number;
  readonly seed: number;
  /** Acquisitions made before the memory baseline is taken (module loading, JIT, first session). */
  readonly warmup: number;
}

/** Heap and RSS after a full GC, in bytes. */
export interface MemorySample {
  readonly heapUsed: number;
  readonly external: number;
  readonly rss: number;
}

/** Worker → runner, once its acquisitions are done and released; it then waits for `exit`. */
export interface LoadDone {
  readonly type: 'done';
  readonly acquisitions: number;
  readonly elapsedMs: number;
  readonly baseline: MemorySample;
  readonly after: MemorySample;
}

export type ToLoadWorker = { readonly type: 'exit' };

export const LOAD_CONFIG_ENV = 'LOAD_WORKER';

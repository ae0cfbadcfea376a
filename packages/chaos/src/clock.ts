/**
 * Milliseconds on `CLOCK_MONOTONIC` (what `process.hrtime` reads on Linux). Unlike
 * `performance.now()`, whose origin is each process's start, this clock is shared by every process
 * of the machine, so the runner and all workers stamp one timeline; unlike `Date.now()` it never
 * jumps.
 */
export const monotonicNow = (): number => Number(process.hrtime.bigint()) / 1e6;

/** Maps a wall-clock time (ms since the epoch) onto the monotonic clock, e.g. a server log line's time. */
export const wallToMonotonic = (): ((wallMs: number) => number) => {
  const offset = Date.now() - monotonicNow();
  return (wallMs) => wallMs - offset;
};

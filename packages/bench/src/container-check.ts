/**
 * How often a server deletes its empty containers (ZooKeeper's `znode.container.checkIntervalMs`),
 * which W3's `parents_left` waits for. A client cannot ask the server, so whoever runs the bench
 * says it (`bench:one --container-check <ms>`).
 */

/** ZooKeeper's own default: once a minute. */
export const ZOOKEEPER_CONTAINER_CHECK_MS = 60_000;

/**
 * `pnpm bench`'s server checks every 10 s. Shorter would make W3 wait less, but a check also
 * deletes W1's one key whenever it finds it empty between two cycles (about a third of the time),
 * and the acquisition after it makes the parent again (three packets more): every second, W1
 * counted 3.002 packets per cycle; every 10 s, 3 (docs/benchmarks.md, "Method").
 */
export const BENCH_CONTAINER_CHECK_MS = 10_000;

/** The test suite's bench servers check every half second: its W3 is small and checked for 0. */
export const SMOKE_CONTAINER_CHECK_MS = 500;

/**
 * The JVM properties of a server that checks its containers every `checkMs` and deletes all it
 * finds at once (ZooKeeper's default paces deletions at 10 000 a minute: 30 s for W3's 5000).
 */
export const containerCheckProperties = (checkMs: number): Readonly<Record<string, number>> => ({
  'znode.container.checkIntervalMs': checkMs,
  'znode.container.maxPerMinute': 1_000_000,
});

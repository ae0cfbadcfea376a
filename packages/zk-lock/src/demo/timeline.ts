import type { WorkerReport } from './protocol.js';

/** One time a worker held the lock, from the moment `lock()` resolved to the moment it called `unlock()`. */
export interface Hold {
  readonly worker: string;
  readonly node: string;
  readonly fencingToken: bigint;
  readonly waitingSince: number;
  readonly acquiredAt: number;
  readonly releasedAt: number;
}

/** Pairs each worker's waiting → acquired → releasing reports into holds, in acquisition order. */
export const collectHolds = (reports: readonly WorkerReport[]): Hold[] => {
  const waiting = new Map<string, number>();
  const open = new Map<string, Omit<Hold, 'releasedAt'>>();
  const holds: Hold[] = [];
  for (const report of reports) {
    switch (report.type) {
      case 'waiting':
        waiting.set(report.worker, report.at);
        break;
      case 'acquired':
        open.set(report.worker, {
          worker: report.worker,
          node: report.node,
          fencingToken: BigInt(report.fencingToken),
          waitingSince: waiting.get(report.worker) ?? report.at,
          acquiredAt: report.at,
        });
        break;
      case 'releasing': {
        const hold = open.get(report.worker);
        if (hold !== undefined) holds.push({ ...hold, releasedAt: report.at });
        open.delete(report.worker);
        break;
      }
      default:
        break;
    }
  }
  return holds.sort((a, b) =>
    a.fencingToken < b.fencingToken ? -1 : a.fencingToken > b.fencingToken ? 1 : 0,
  );
};

/**
 * What went wrong, if anything: two holds that overlap in time, or fencing tokens that do not
 * strictly increase in acquisition order. Holds come sorted by token (`collectHolds`), so each
 * must start no earlier than the previous one ended.
 */
export const violations = (holds: readonly Hold[]): string[] => {
  const found: string[] = [];
  for (let i = 1; i < holds.length; i++) {
    const before = holds[i - 1] as Hold;
    const after = holds[i] as Hold;
    if (after.fencingToken === before.fencingToken)
      found.push(`${before.worker} and ${after.worker} got the same fencing token ${after.fencingToken}`);
    if (after.acquiredAt < before.releasedAt)
      found.push(
        `${after.worker} acquired at +${after.acquiredAt} ms while ${before.worker} held the lock until +${before.releasedAt} ms`,
      );
  }
  return found;
};

const seconds = (ms: number): string => `+${(ms / 1000).toFixed(3)}s`;

/** The event list: one line per acquisition and release, times relative to `origin`. */
export const renderEvents = (holds: readonly Hold[], origin: number): string[] => {
  const width = Math.max(6, ...holds.map((hold) => hold.worker.length));
  const events = holds
    .flatMap((hold) => [
      {
        at: hold.acquiredAt,
        order: 1,
        text: `${hold.worker.padEnd(width)}  acquires  ${hold.node}  fencing token ${hold.fencingToken}  (waited ${hold.acquiredAt - hold.waitingSince} ms)`,
      },
      {
        at: hold.releasedAt,
        order: 0,
        text: `${hold.worker.padEnd(width)}  releases  (held ${hold.releasedAt - hold.acquiredAt} ms)`,
      },
    ])
    // A release and the next acquisition can fall in the same millisecond: the release comes first.
    .sort((a, b) => a.at - b.at || a.order - b.order);
  return events.map((event) => `  ${seconds(event.at - origin).padStart(9)}  ${event.text}`);
};

/**
 * A chart of who held the lock when: one row per worker, one column per time slice;
 * `█` holding, `·` waiting for the lock, blank otherwise.
 */
export const renderChart = (holds: readonly Hold[], workers: readonly string[], columns = 64): string[] => {
  if (holds.length === 0) return [];
  const origin = Math.min(...holds.map((hold) => hold.waitingSince));
  const end = Math.max(...holds.map((hold) => hold.releasedAt));
  const slice = Math.max(1, (end - origin) / columns);
  const width = Math.max(...workers.map((worker) => worker.length));
  const cell = (worker: string, column: number): string => {
    const from = origin + column * slice;
    const to = from + slice;
    const mine = holds.filter((hold) => hold.worker === worker);
    if (mine.some((hold) => hold.acquiredAt < to && hold.releasedAt > from)) return '█';
    if (mine.some((hold) => hold.waitingSince < to && hold.acquiredAt > from)) return '·';
    return ' ';
  };
  const rows = workers.map(
    (worker) =>
      `  ${worker.padEnd(width)} │${Array.from({ length: columns }, (_, c) => cell(worker, c)).join('')}│`,
  );
  const legend = `  ${' '.repeat(width)}  0s${' '.repeat(Math.max(1, columns - 8))}${((end - origin) / 1000).toFixed(1)}s`;
  return [
    ...rows,
    legend,
    `  ${' '.repeat(width)}  █ holds the lock   · waits for it   (one column = ${Math.round(slice)} ms)`,
  ];
};

import { describe, expect, it } from 'vitest';
import type { WorkerReport } from '../src/demo/protocol.js';
import { collectHolds, renderChart, renderEvents, violations } from '../src/demo/timeline.js';

const turn = (
  worker: string,
  token: number,
  waiting: number,
  acquired: number,
  releasing: number,
): WorkerReport[] => [
  { type: 'waiting', worker, at: waiting },
  {
    type: 'acquired',
    worker,
    at: acquired,
    node: `lock-${String(token).padStart(10, '0')}`,
    fencingToken: String(token),
  },
  { type: 'releasing', worker, at: releasing },
];

describe('the demo timeline', () => {
  it('pairs reports into holds in fencing-token order and finds nothing wrong with clean turns', () => {
    const reports = [...turn('worker-2', 2, 0, 100, 200), ...turn('worker-1', 1, 0, 0, 100)];

    const holds = collectHolds(reports);

    expect(holds.map((hold) => [hold.worker, hold.fencingToken])).toEqual([
      ['worker-1', 1n],
      ['worker-2', 2n],
    ]);
    expect(violations(holds)).toEqual([]);
    expect(renderEvents(holds, 0)).toEqual([
      '    +0.000s  worker-1  acquires  lock-0000000001  fencing token 1  (waited 0 ms)',
      '    +0.100s  worker-1  releases  (held 100 ms)',
      '    +0.100s  worker-2  acquires  lock-0000000002  fencing token 2  (waited 100 ms)',
      '    +0.200s  worker-2  releases  (held 100 ms)',
    ]);
  });

  it('reports overlapping holds and repeated fencing tokens', () => {
    const holds = collectHolds([...turn('worker-1', 1, 0, 0, 150), ...turn('worker-2', 1, 0, 100, 200)]);

    expect(violations(holds)).toEqual([
      'worker-1 and worker-2 got the same fencing token 1',
      'worker-2 acquired at +100 ms while worker-1 held the lock until +150 ms',
    ]);
  });

  it('charts holding and waiting per worker', () => {
    const holds = collectHolds([...turn('worker-1', 1, 0, 0, 100), ...turn('worker-2', 2, 0, 100, 200)]);

    const [first, second] = renderChart(holds, ['worker-1', 'worker-2'], 4);

    expect(first).toBe('  worker-1 │██  │');
    expect(second).toBe('  worker-2 │··██│');
  });
});

import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runLoad } from '../src/load/run-load.js';

const MB = 1024 * 1024;

describe('load (issue 6)', () => {
  it('10,000 acquisitions from four processes across 200 keys leave no node, no session, no memory growth', async () => {
    const report = await runLoad({ processes: 4, acquisitions: 10_000, keys: 200, concurrency: 20, seed: 6 });

    const figures = report.perProcess.map((p) => ({
      acquisitions: p.acquisitions,
      seconds: Math.round(p.elapsedMs) / 1000,
      heap_growth_mb: Math.round(((p.after.heapUsed - p.baseline.heapUsed) / MB) * 100) / 100,
    }));
    console.log(`load: ${JSON.stringify(figures)}`);

    expect(report.perProcess.reduce((sum, p) => sum + p.acquisitions, 0)).toBe(10_000);
    expect(report.leftoverLockNodes).toEqual([]);
    expect(report.openSessions).toEqual([]);
    // Nothing the library left behind (a timer, a socket) keeps a process alive once it is told to exit.
    expect(report.exits).toEqual(['code 0', 'code 0', 'code 0', 'code 0']);
    for (const p of report.perProcess) {
      // After a full GC the heap is back near where it was after the warm-up: 2,500 acquisitions
      // leave no per-acquisition garbage behind (a leak of even 1 KB each would show as 2.5 MB).
      expect((p.after.heapUsed - p.baseline.heapUsed) / MB).toBeLessThan(2);
    }
    rmSync(report.runDir, { recursive: true, force: true });
  }, 180_000);
});

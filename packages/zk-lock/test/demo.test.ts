import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../src/demo/index.js';
import { useZooKeeper } from './support/zookeeper.js';

const server = useZooKeeper();
const repo = fileURLToPath(new URL('../../..', import.meta.url));
const workerScript = fileURLToPath(new URL('./support/demo-worker.ts', import.meta.url));

describe('the demo', () => {
  it('worker processes take turns through ZookeeperLock; the report shows every hold and checks exclusion', async () => {
    const lines: string[] = [];

    const result = await runDemo({
      server: server().zk.connectString,
      workers: 3,
      rounds: 2,
      holdMs: [20, 60],
      print: (line) => lines.push(line),
      // From the repo root, tsx resolves the workspace packages to their sources (tsconfig paths).
      spawnWorker: (settings) =>
        fork(workerScript, [JSON.stringify(settings)], {
          cwd: repo,
          execArgv: ['--import', 'tsx'],
          stdio: 'pipe',
        }),
    });

    expect(result.failures).toEqual([]);
    expect(result.violations).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.holds.map((hold) => hold.worker).sort()).toEqual([
      'worker-1',
      'worker-1',
      'worker-2',
      'worker-2',
      'worker-3',
      'worker-3',
    ]);
    expect(lines.filter((line) => line.includes(' acquires '))).toHaveLength(6);
    expect(lines.some((line) => line.startsWith('✔ 6 acquisitions'))).toBe(true);
  });
});

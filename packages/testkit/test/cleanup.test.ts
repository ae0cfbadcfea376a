import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { waitFor } from '@zk-lock/testkit';
import { alive } from './processes.js';

const fixture = fileURLToPath(new URL('./fixtures/start-and-hang.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

interface Started {
  readonly pids: number[];
  readonly dirs: string[];
}

/** Runs the fixture in its own node process; resolves with what it started and when it exits. */
const startInChild = (servers: 1 | 3, ending: 'hang' | 'exit' | 'close') => {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, String(servers), ending], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const started = new Promise<Started>((resolve, reject) => {
    child.once('close', (code) => reject(new Error(`fixture exited with code ${code} before reporting`)));
    createInterface({ input: child.stdout }).once('line', (line) => resolve(JSON.parse(line) as Started));
  });
  return { child, started, exited };
};

const expectAllGone = async ({ pids, dirs }: Started): Promise<void> => {
  await waitFor(() => pids.every((pid) => !alive(pid)), { timeoutMs: 10_000, message: 'the JVMs gone' });
  await waitFor(() => dirs.every((dir) => !existsSync(dir)), { timeoutMs: 10_000, message: 'the dirs gone' });
};

it.each([1, 3] as const)(
  'a process SIGKILLed with %i server(s) running leaves no JVM and no directory',
  async (servers) => {
    const { child, started, exited } = startInChild(servers, 'hang');
    const report = await started;
    expect(report.pids).toHaveLength(servers);
    expect(report.pids.every(alive)).toBe(true);
    child.kill('SIGKILL');
    await exited;
    await expectAllGone(report);
  },
);

it('a process that exits without close() leaves no JVM and no directory', async () => {
  const { started, exited } = startInChild(1, 'exit');
  const report = await started;
  await exited;
  await expectAllGone(report);
});

it('a script whose last step is `await close()` exits 0 with nothing left', async () => {
  const { started, exited } = startInChild(1, 'close');
  const report = await started;
  // Exit code 13 would mean the loop emptied while close() was still waiting for the JVM.
  expect(await exited).toBe(0);
  await expectAllGone(report);
});

import { spawn } from 'node:child_process';
import { parseResultLine, type ResultLine } from './result-line.js';
import { runnerCwd, zkLockRunner, type Runner } from './runners.js';
import type { Size, WorkloadName } from './workload.js';

export interface ChildRunOptions {
  readonly connectString: string;
  readonly size: Size;
  /** Each line the child writes to stderr (its progress), as it comes. */
  readonly progress: (message: string) => void;
  /** Kill the child after this long (its own in-process deadline should fire first). */
  readonly deadlineMs?: number;
  /** The server's container check interval, ms, for runners that wait for it (zk-lock's W3). */
  readonly containerCheckMs: number;
}

/**
 * Run one workload through a runner's command (zk-lock's `bench:one` unless told otherwise) in a
 * fresh process, exactly as the tools that compare libraries do: no JIT warmth, heap or leftover
 * session carries over from one run to the next, and W3's RSS growth is measured from a fresh
 * process every time.
 */
export const runInChild = (
  name: WorkloadName,
  options: ChildRunOptions,
  runner: Runner = zkLockRunner,
): Promise<ResultLine> =>
  new Promise((resolve, reject) => {
    const { file, args, env } = runner.command(
      options.connectString,
      name,
      options.size,
      options.containerCheckMs,
    );
    const child = spawn(file, args, {
      cwd: runnerCwd,
      env: { ...env, ...process.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderrTail = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      const text = stderrTail + chunk;
      const lines = text.split('\n');
      stderrTail = lines.pop() ?? '';
      for (const line of lines) options.progress(`  ${line}`);
    });
    const limitMs = options.deadlineMs ?? 240_000;
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (stderrTail !== '') options.progress(`  ${stderrTail}`);
      if (code !== 0) {
        const why = signal === null ? `exit code ${code}` : `signal ${signal} (deadline ${limitMs / 1000} s)`;
        reject(new Error(`${runner.name} ${name} failed: ${why}`));
        return;
      }
      try {
        resolve(parseResultLine(stdout, name));
      } catch (error) {
        reject(error as Error);
      }
    });
  });

import { spawn } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ConsumerProject } from './project.js';

/** A user's process in the consumer project (`fixtures/driver.cjs`), driven line by line. */

const script = fileURLToPath(new URL('../fixtures/driver.cjs', import.meta.url));

export interface Reply {
  readonly ok: boolean;
  readonly error?: {
    readonly name: string;
    readonly code?: string;
    readonly zkCode?: string;
    readonly message: string;
    readonly typed: boolean;
  };
  readonly [field: string]: unknown;
}

export interface Driver {
  /** Sends a command; resolves with its answer, rejects if the process ends first. */
  readonly request: (op: string, args?: object) => Promise<Reply>;
  /** Resolves with `performance.now()` when the process printed `event` for `key` (before or after the call). */
  readonly event: (key: string, event: string) => Promise<number>;
  /** The events printed so far, in order, for `key`. */
  readonly events: (key: string) => ReadonlyArray<string>;
  readonly exited: Promise<{
    readonly code: number | null;
    readonly signal: string | null;
    readonly stderr: string;
  }>;
  readonly kill: () => void;
}

export const startDriver = async (project: ConsumerProject): Promise<Driver> => {
  copyFileSync(script, join(project.dir, 'driver.cjs'));
  const child = spawn(process.execPath, ['driver.cjs'], { cwd: project.dir, env: project.env });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
  const died = exited.then(({ code, signal }) =>
    Promise.reject(new Error(`the consumer's process ended (${signal ?? code}) before answering: ${stderr}`)),
  );
  died.catch(() => undefined);
  const answers = new Map<number, (reply: Reply) => void>();
  const seen: Array<{ readonly key: string; readonly event: string; readonly at: number }> = [];
  const waiting: Array<{
    readonly key: string;
    readonly event: string;
    readonly resolve: (at: number) => void;
  }> = [];
  let ready: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (ready = resolve));
  createInterface({ input: child.stdout }).on('line', (text) => {
    const line = JSON.parse(text) as { id?: number; ready?: boolean; event?: string; key?: string } & Reply;
    if (line.ready === true) return ready();
    if (line.event !== undefined && line.key !== undefined) {
      const at = performance.now();
      seen.push({ key: line.key, event: line.event, at });
      for (const waiter of waiting.filter((w) => w.key === line.key && w.event === line.event)) {
        waiting.splice(waiting.indexOf(waiter), 1);
        waiter.resolve(at);
      }
      return;
    }
    if (line.id !== undefined) answers.get(line.id)?.(line);
  });
  await Promise.race([started, died]);
  let ids = 0;
  return {
    request: (op, args = {}) => {
      const id = ++ids;
      const answered = new Promise<Reply>((resolve) => answers.set(id, resolve));
      child.stdin.write(`${JSON.stringify({ id, op, ...args })}\n`);
      return Promise.race([answered, died]);
    },
    event: (key, event) => {
      const earlier = seen.find((e) => e.key === key && e.event === event);
      if (earlier !== undefined) return Promise.resolve(earlier.at);
      return Promise.race([new Promise<number>((resolve) => waiting.push({ key, event, resolve })), died]);
    },
    events: (key) => seen.filter((e) => e.key === key).map((e) => e.event),
    exited,
    kill: () => child.kill('SIGKILL'),
  };
};

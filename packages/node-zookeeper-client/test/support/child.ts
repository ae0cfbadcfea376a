import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A Node process running a fixture script, read line by line. */
export interface Child {
  readonly process: ChildProcess;
  /** Resolves when the child has printed `text` as a line (before or after the call); rejects if it exits first. */
  readonly line: (text: string) => Promise<void>;
  readonly exited: Promise<{ readonly code: number | null; readonly stderr: string }>;
}

const children = new Set<ChildProcess>();

/** Starts `node <script> ...args`; `killChildren()` ends whatever is still running. */
export const startChild = (script: string, args: ReadonlyArray<string>): Child => {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const lines: string[] = [];
  const waiters: Array<{ readonly text: string; readonly resolve: () => void }> = [];
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (text) => {
    lines.push(text);
    for (const waiter of waiters.filter((w) => w.text === text)) waiter.resolve();
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.once('exit', (code) => {
      children.delete(child);
      resolve({ code, stderr });
    }),
  );
  const printed = (text: string): Promise<void> =>
    lines.includes(text) ? Promise.resolve() : new Promise((resolve) => waiters.push({ text, resolve }));
  return {
    process: child,
    line: (text) =>
      Promise.race([
        printed(text),
        exited.then(({ code, stderr: output }) =>
          Promise.reject(new Error(`the child exited (${code}) before printing ${text}: ${output}`)),
        ),
      ]),
    exited,
  };
};

export const killChildren = (): void => {
  for (const child of children) child.kill('SIGKILL');
};

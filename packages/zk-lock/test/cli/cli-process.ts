import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Runs the `zk-lock` CLI from source as a separate process, the way a user runs the bin: tsx
 * compiles it, and the repository's tsconfig maps the workspace packages to their sources.
 */

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const cliMain = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunningCli {
  readonly child: ChildProcess;
  readonly done: Promise<CliResult>;
  /** Resolves once stderr (or stdout) contains `text` (`times` times, default once). */
  readonly output: (text: string, times?: number) => Promise<void>;
}

export const spawnCli = (args: readonly string[], env: NodeJS.ProcessEnv = {}): RunningCli => {
  const child = spawn(process.execPath, ['--import', 'tsx', cliMain, ...args], {
    cwd: repoRoot,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: { text: string; times: number; resolve: () => void }[] = [];
  const count = (haystack: string, text: string) => haystack.split(text).length - 1;
  const check = () => {
    for (const waiter of [...waiters])
      if (count(stdout, waiter.text) >= waiter.times || count(stderr, waiter.text) >= waiter.times) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
  };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    check();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    check();
  });
  const done = new Promise<CliResult>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  const output = (text: string, times = 1) =>
    new Promise<void>((resolve, reject) => {
      waiters.push({ text, times, resolve });
      check();
      void done.then(() =>
        reject(new Error(`zk-lock ended before printing ${JSON.stringify(text)}:\n${stderr}`)),
      );
    });
  return { child, done, output };
};

export const runCli = (args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> =>
  spawnCli(args, env).done;

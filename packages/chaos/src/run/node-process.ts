import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { repoRoot, rootTsconfig } from './paths.js';

/**
 * Starts a TypeScript entry point in its own node process through tsx, with an IPC channel. The
 * library is imported from source (the root tsconfig's paths map `zk-lock` to it), so no build is
 * needed. stdout and stderr go to `logFile`.
 */
export const spawnTsNode = (
  entry: string,
  env: Readonly<Record<string, string>>,
  logFile: string,
  nodeFlags: ReadonlyArray<string> = [],
): ChildProcess => {
  const log = openSync(logFile, 'a');
  const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', entry], {
    cwd: repoRoot,
    // An explicit TSX_TSCONFIG_PATH wins: it runs the suite against another build of `zk-lock`.
    env: { ...process.env, TSX_TSCONFIG_PATH: process.env['TSX_TSCONFIG_PATH'] ?? rootTsconfig, ...env },
    stdio: ['ignore', log, log, 'ipc'],
  });
  closeSync(log);
  return child;
};

/** Resolves when the process has exited, with how. */
export const exitOf = (child: ChildProcess): Promise<string> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve(child.signalCode ?? `code ${child.exitCode}`)
    : new Promise((resolve) =>
        child.once('exit', (code, signal) => resolve(signal !== null ? signal : `code ${code}`)),
      );

import { spawn } from 'node:child_process';
import { ExitCode } from './exit-codes.js';
import { printNotice } from './report.js';
import { INTERRUPTS, signalExitCode } from './signals.js';
import type { Subject } from './subject.js';

/**
 * Runs the command of `zk-lock exec` while the lock is held (of `zk-lock elect` while leading):
 * forwards SIGINT and SIGTERM to it, and stops it once the lock is lost (SIGTERM, then SIGKILL
 * after the grace period), because a command that keeps running without the lock could overlap
 * with the next holder.
 */

export interface ChildSettings {
  readonly argv: readonly [string, ...string[]];
  readonly env: NodeJS.ProcessEnv;
  /** Aborts when the lock (the leadership) is lost. */
  readonly lostSignal: AbortSignal;
  readonly subject: Subject;
  readonly graceMs: number;
}

export interface ChildOutcome {
  /** The command's exit code, 128 + signal number if a signal ended it, 126/127 if it never ran. */
  readonly exitCode: number;
  /** Whether the command was stopped because the lock was lost. */
  readonly stoppedForLoss: boolean;
}

const spawnFailureCode = (error: NodeJS.ErrnoException): number =>
  error.code === 'ENOENT' ? ExitCode.NOT_FOUND : ExitCode.CANNOT_EXECUTE;

export const runChild = (settings: ChildSettings): Promise<ChildOutcome> =>
  new Promise((resolve) => {
    const [program, ...args] = settings.argv;
    const child = spawn(program, args, { stdio: 'inherit', env: settings.env });
    let stoppedForLoss = false;
    let killTimer: NodeJS.Timeout | undefined;

    const forward = (signal: NodeJS.Signals) => {
      child.kill(signal);
    };
    const stopForLoss = () => {
      stoppedForLoss = true;
      printNotice(
        `${settings.subject} lost; stopping '${program}' (SIGTERM, SIGKILL in ${settings.graceMs} ms)`,
      );
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), settings.graceMs);
    };
    const finish = (exitCode: number) => {
      clearTimeout(killTimer);
      for (const signal of INTERRUPTS) process.off(signal, forward);
      settings.lostSignal.removeEventListener('abort', stopForLoss);
      resolve({ exitCode, stoppedForLoss });
    };

    for (const signal of INTERRUPTS) process.on(signal, forward);
    if (settings.lostSignal.aborted) stopForLoss();
    else settings.lostSignal.addEventListener('abort', stopForLoss, { once: true });

    child.on('error', (error: NodeJS.ErrnoException) => {
      // Only a failed spawn has no pid; errors of a running child (a failed kill) change nothing.
      if (child.pid !== undefined) return;
      printNotice(`cannot run '${program}': ${error.message}`);
      finish(spawnFailureCode(error));
    });
    child.once('exit', (code, signal) => finish(code ?? signalExitCode(signal ?? 'SIGKILL')));
  });

import { runChild } from './child.js';
import { ExitCode } from './exit-codes.js';
import { describeFailure } from './failure.js';
import { startWaitIndicator } from './indicator.js';
import { printError } from './report.js';
import { INTERRUPTS, signalExitCode } from './signals.js';
import type { Subject } from './subject.js';

/**
 * What `exec` and `elect` share: wait for a lock or a leadership, run the command while holding
 * it, let go of it, exit with the command's code (or an outcome's code, see `ExitCode`).
 */

/** A held lock or leadership, as the command runs under it. */
export interface Holding {
  readonly fencingToken: bigint;
  /** The lock node's (the leader node's) path. */
  readonly path: string;
  readonly lostSignal: AbortSignal;
  /** Release the lock, resign the leadership. */
  readonly letGo: () => Promise<void>;
}

export interface HoldingCommand {
  readonly subject: Subject;
  readonly key: string;
  readonly argv: readonly [string, ...string[]];
  readonly graceMs: number;
  readonly verbose: boolean;
}

/**
 * SIGINT / SIGTERM while waiting abandon the wait (its node is removed) and exit 128 + signal
 * number. A second one exits at once, for when ZooKeeper is too slow to answer the removal.
 */
const interruptibleWait = () => {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (received !== undefined) process.exit(signalExitCode(signal));
    received = signal;
    controller.abort();
  };
  for (const signal of INTERRUPTS) process.on(signal, onSignal);
  return {
    signal: controller.signal,
    received: () => received,
    dispose: () => {
      for (const signal of INTERRUPTS) process.off(signal, onSignal);
    },
  };
};

const waitFor = async (
  command: HoldingCommand,
  take: (signal: AbortSignal) => Promise<Holding>,
): Promise<Holding | number> => {
  const wait = interruptibleWait();
  const indicator = startWaitIndicator(process.stderr, command.key, command.subject);
  try {
    return await take(wait.signal);
  } catch (error) {
    const signal = wait.received();
    if (signal !== undefined) return signalExitCode(signal);
    const failure = describeFailure(error, command.key, command.subject);
    printError(failure.message, error, command.verbose);
    return failure.code;
  } finally {
    indicator.stop();
    wait.dispose();
  }
};

const runHolding = async (held: Holding, command: HoldingCommand): Promise<number> => {
  const outcome = await runChild({
    argv: command.argv,
    env: { ...process.env, ZK_LOCK_FENCING_TOKEN: String(held.fencingToken), ZK_LOCK_PATH: held.path },
    lostSignal: held.lostSignal,
    graceMs: command.graceMs,
    subject: command.subject,
  });
  if (outcome.stoppedForLoss || held.lostSignal.aborted) return ExitCode.LOST;
  try {
    await held.letGo();
  } catch (error) {
    // The command finished; its node goes with the session at the latest, so report but keep its code.
    const what = command.subject === 'lock' ? 'release lock' : 'resign the leadership of';
    printError(`could not ${what} '${command.key}': ${(error as Error).message}`, error, command.verbose);
  }
  return outcome.exitCode;
};

/** Waits with `take`, then runs the command while holding what it took. */
export const runHoldingCommand = async (
  command: HoldingCommand,
  take: (signal: AbortSignal) => Promise<Holding>,
): Promise<number> => {
  const held = await waitFor(command, take);
  return typeof held === 'number' ? held : runHolding(held, command);
};

import { compileChart } from './chart.js';
import { lockMachine } from './lock-machine.js';
import { MachineRunner, type RunnerClock } from './runner.js';
import type { LockContext, LockEvent, LockMachineInput } from './types.js';

/** The lock machine read into a chart once per process (see `chart.ts`). */
const lockChart = compileChart(lockMachine);

/** One acquisition attempt: the lock machine on the chart runner. */
export type LockRunner = MachineRunner<LockContext, LockEvent>;

/**
 * An actor of the lock machine, not started: what the shells run. The same machine as
 * `createActor(lockMachine, { input })`, stepped through its compiled chart.
 */
export const createLockRunner = (
  input: LockMachineInput,
  options: { readonly clock?: RunnerClock } = {},
): LockRunner => new MachineRunner<LockContext, LockEvent>(lockChart, { input, clock: options.clock });

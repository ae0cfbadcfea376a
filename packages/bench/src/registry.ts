import { runnable, type RunnableWorkload, type WorkloadName } from './workload.js';
import { contended } from './workloads/contended.js';
import { manyKeys } from './workloads/many-keys.js';
import { safetyWindow } from './workloads/safety.js';
import { semaphore, semaphoreWithHold } from './workloads/semaphore.js';
import { uncontended } from './workloads/uncontended.js';

export { libName as lib } from './lib-version.js';

/** Every workload by the name `bench:one` takes, in the order `pnpm bench` runs them. */
export const workloads: Readonly<Record<WorkloadName, RunnableWorkload>> = {
  W1: runnable(uncontended),
  W2: runnable(contended),
  W3: runnable(manyKeys),
  W4: runnable(semaphore),
  W4h: runnable(semaphoreWithHold),
  W5: runnable(safetyWindow),
};

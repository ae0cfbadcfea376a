import { runnable, type RunnableWorkload, type WorkloadName } from '../workload.js';
import { floorManyKeys, floorUncontended } from './workloads.js';

export { floorLibName as lib } from './client.js';

/** The floor's workloads by name (`floorWorkloadNames`): those whose requests need no lock logic. */
export const workloads: Partial<Readonly<Record<WorkloadName, RunnableWorkload>>> = {
  W1: runnable(floorUncontended),
  W3: runnable(floorManyKeys),
};

import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';

/**
 * Confines every thread of process `pid` (the bench's ZooKeeper JVM) to the machine's last CPU
 * with Linux `taskset`, and returns that CPU. Threads the JVM starts later inherit the mask.
 *
 * Why this exists, as a diagnostic next to the method: on a 2-vCPU machine the client
 * process and the server's threads otherwise migrate across both CPUs and wake each other up
 * through the scheduler, and that, not only the client's own work, sets W1's round trips (see
 * docs/benchmarks.md, "Where W1's time goes"). Throws when `taskset` is missing.
 */
export const pinToLastCpu = (pid: number): number => {
  const cpu = cpus().length - 1;
  execFileSync('taskset', ['--all-tasks', '--pid', '--cpu-list', String(cpu), String(pid)], {
    stdio: 'ignore',
  });
  return cpu;
};

import { fileURLToPath } from 'node:url';
import type { Size, WorkloadName } from './workload.js';
import { floorWorkloadNames, workloadNames } from './workload.js';

/**
 * A command that runs one workload of one library once and prints one result line: the
 * `bench:one` interface (`{"lib":...,"workload":...,...fields}` on stdout, progress on stderr).
 * zk-lock's own is `bench:one`; the peers' runners (packages/bench/peers) speak the same interface,
 * so one driver runs them all the same way and their figures compare.
 */
export interface Runner {
  /** What the comparison calls the library: `zk-lock`, `kazoo`, `curator`. */
  readonly name: string;
  /** The workloads the runner implements (a peer may lack one, e.g. W5's proxy harness). */
  readonly workloads: ReadonlyArray<WorkloadName>;
  /** `containerCheckMs`: the server's container check interval (`bench:one --container-check`). */
  readonly command: (
    connectString: string,
    workload: WorkloadName,
    size: Size,
    containerCheckMs: number,
  ) => {
    readonly file: string;
    readonly args: ReadonlyArray<string>;
    readonly env?: Readonly<Record<string, string>>;
  };
}

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const peersDir = fileURLToPath(new URL('../peers/', import.meta.url));
const benchOne = fileURLToPath(new URL('./bench-one.ts', import.meta.url));
/** tsx without the root tsconfig's paths: zk-lock loads from its build, as npm users get it. */
const tsconfig = fileURLToPath(new URL('../tsconfig.run.json', import.meta.url));
const smokeFlag = (size: Size): ReadonlyArray<string> => (size === 'smoke' ? ['--smoke'] : []);
const checkFlag = (ms: number): ReadonlyArray<string> => ['--container-check', String(ms)];

/** The directory every runner starts in. */
export const runnerCwd = packageDir;

export const zkLockRunner: Runner = {
  name: 'zk-lock',
  workloads: workloadNames,
  command: (connectString, workload, size, containerCheckMs) => ({
    file: process.execPath,
    args: [
      '--import',
      'tsx',
      benchOne,
      ...smokeFlag(size),
      ...checkFlag(containerCheckMs),
      connectString,
      workload,
    ],
    env: { TSX_TSCONFIG_PATH: tsconfig },
  }),
};

/**
 * The floor: node-zookeeper-client alone sending zk-lock's requests (`floor/workloads.ts`), through
 * the same command. What no recipe on that client can undercut.
 */
export const floorRunner: Runner = {
  name: 'floor',
  workloads: floorWorkloadNames,
  command: (connectString, workload, size, containerCheckMs) => ({
    file: process.execPath,
    args: [
      '--import',
      'tsx',
      benchOne,
      '--floor',
      ...smokeFlag(size),
      ...checkFlag(containerCheckMs),
      connectString,
      workload,
    ],
    env: { TSX_TSCONFIG_PATH: tsconfig },
  }),
};

/**
 * W5 needs the bench's partitioning proxy in the runner's process; the peers' runners have none.
 * Their W3 reports no `parents_left` (they are not told the container check interval).
 */
const peerWorkloads = workloadNames.filter((name) => name !== 'W5');

/** kazoo 2.x (Python), Debian's python3-kazoo, run by the system interpreter that has it. */
export const kazooRunner: Runner = {
  name: 'kazoo',
  workloads: peerWorkloads,
  command: (connectString, workload, size) => ({
    file: '/usr/bin/python3',
    args: [`${peersDir}kazoo/bench_one.py`, connectString, workload, ...smokeFlag(size)],
  }),
};

/** Apache Curator 5 (Java), Debian's libcurator-recipes-java, through Java's source launcher. */
export const curatorRunner: Runner = {
  name: 'curator',
  workloads: peerWorkloads,
  command: (connectString, workload, size) => ({
    file: 'bash',
    args: [`${peersDir}curator/bench-one.sh`, connectString, workload, ...smokeFlag(size)],
  }),
};

export const peerRunners: ReadonlyArray<Runner> = [kazooRunner, curatorRunner];

/** What `--peers` runs besides zk-lock: the peers, and the floor under all of them. */
export const comparisonRunners: ReadonlyArray<Runner> = [...peerRunners, floorRunner];

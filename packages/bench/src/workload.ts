import type { PacketMeter } from './packet-meter.js';

export const workloadNames = ['W1', 'W2', 'W3', 'W4', 'W4h', 'W5'] as const;
export type WorkloadName = (typeof workloadNames)[number];

/** What each workload is, for progress lines and the table. */
export const workloadTitles: Readonly<Record<WorkloadName, string>> = {
  W1: 'uncontended',
  W2: 'contended mutex',
  W3: 'many keys',
  W4: 'semaphore',
  W4h: 'semaphore, 5 ms hold',
  W5: 'safety window',
};

/**
 * The workloads the floor runs (`bench:one --floor`, `floor/registry.ts`): node-zookeeper-client
 * alone, sending zk-lock's requests. The others need lock logic to mean anything.
 */
export const floorWorkloadNames: ReadonlyArray<WorkloadName> = ['W1', 'W3'];

export const isWorkloadName = (name: string): name is WorkloadName =>
  (workloadNames as ReadonlyArray<string>).includes(name);

/** What every workload runs against. */
export interface BenchEnv {
  /** The servers, reached directly. */
  readonly connectString: string;
  /** 10 s in the definition; shorter only in the test suite's smoke run. */
  readonly sessionTimeoutMs: number;
  /** A lock path prefix no other run uses, so runs never meet each other's lock nodes. */
  readonly pathPrefix: string;
  readonly meter: PacketMeter;
  /** How often the server deletes its empty containers, ms (W3's `parents_left` waits for it). */
  readonly containerCheckMs: number;
  /** A line of progress for the human watching (stderr); never part of the result. */
  readonly progress: (message: string) => void;
}

/** A workload's result: exactly the field names, `null` where nothing could be measured. */
export type Fields = Readonly<Record<string, number | null>>;

/**
 * A fixed workload: `full` holds the definition (counts, clients), `smoke` the same shape
 * with small counts for the test suite.
 */
export interface Workload<P> {
  readonly name: WorkloadName;
  readonly full: P;
  readonly smoke: P;
  readonly run: (env: BenchEnv, params: P) => Promise<Fields>;
}

export type Size = 'full' | 'smoke';

/** A workload with its parameters chosen by size, so the registry can hold workloads of any shape. */
export interface RunnableWorkload {
  readonly name: WorkloadName;
  readonly run: (env: BenchEnv, size: Size) => Promise<Fields>;
}

export const runnable = <P>(workload: Workload<P>): RunnableWorkload => ({
  name: workload.name,
  run: (env, size) => workload.run(env, size === 'full' ? workload.full : workload.smoke),
});

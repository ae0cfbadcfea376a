import { withDeadline } from '@zk-lock/testkit';
import { parseConnectString } from './connect-string.js';
import { PacketMeter } from './packet-meter.js';
import type { BenchEnv, Fields, RunnableWorkload, Size } from './workload.js';

/** The definition: every workload runs with a 10 s session timeout. */
export const SESSION_TIMEOUT_MS = 10_000;
/** The test suite's smoke run: short enough that W5 trials take seconds, long enough for a busy CI. */
export const SMOKE_SESSION_TIMEOUT_MS = 4_000;

export interface RunOptions {
  readonly connectString: string;
  readonly size: Size;
  readonly progress: (message: string) => void;
  /** A workload that takes longer fails the run instead of hanging it. */
  readonly deadlineMs?: number;
  /** The server's container check interval, ms (see `container-check.ts`). */
  readonly containerCheckMs: number;
}

/** A prefix no other run shares (several runs may use one server over time). */
const runId = (): string => `${Date.now().toString(36)}-${process.pid}`;

/** Run one workload once, in this process, against the servers of `options.connectString`. */
export const runWorkload = async (workload: RunnableWorkload, options: RunOptions): Promise<Fields> => {
  const { name } = workload;
  const meter = new PacketMeter(parseConnectString(options.connectString));
  await meter.quiesce();
  const env: BenchEnv = {
    connectString: options.connectString,
    sessionTimeoutMs: options.size === 'full' ? SESSION_TIMEOUT_MS : SMOKE_SESSION_TIMEOUT_MS,
    pathPrefix: `bench/${runId()}/${name}`,
    meter,
    progress: options.progress,
    containerCheckMs: options.containerCheckMs,
  };
  return withDeadline(`workload ${name}`, options.deadlineMs ?? 180_000, workload.run(env, options.size));
};

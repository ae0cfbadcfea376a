import type { ChildProcess } from 'node:child_process';
import type { StartSignal, WorkerReport, WorkerSettings } from './protocol.js';
import { collectHolds, renderChart, renderEvents, violations, type Hold } from './timeline.js';

export interface DemoOptions {
  /** ZooKeeper `host:port`. */
  readonly server: string;
  /** Starts one worker process with an IPC channel that runs `runDemoWorkerProcess(JSON.stringify(settings))`. */
  readonly spawnWorker: (settings: WorkerSettings) => ChildProcess;
  /** Prints one line of the report. */
  readonly print: (line: string) => void;
  readonly workers?: number;
  readonly rounds?: number;
  readonly holdMs?: readonly [number, number];
  readonly pathPrefix?: string;
  readonly key?: string;
}

export interface DemoResult {
  readonly holds: readonly Hold[];
  /** Broken promises of the lock (overlapping holds, fencing tokens out of order); empty when all is well. */
  readonly violations: readonly string[];
  /** Workers that failed or exited abnormally, with why. */
  readonly failures: readonly string[];
  readonly ok: boolean;
}

interface Worker {
  readonly settings: WorkerSettings;
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  readonly exited: Promise<string | undefined>;
}

const startWorker = (
  settings: WorkerSettings,
  spawnWorker: DemoOptions['spawnWorker'],
  reports: WorkerReport[],
): Worker => {
  const child = spawnWorker(settings);
  let failure: string | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    child.once('exit', () => reject(new Error(`${settings.worker} exited before it was ready`)));
    child.on('message', (message: WorkerReport) => {
      if (message.type === 'ready') resolve();
      else reports.push(message);
      if (message.type === 'failed') failure = `${settings.worker}: ${message.message}`;
    });
  });
  const exited = new Promise<string | undefined>((resolve) => {
    child.once('exit', (code, signal) =>
      resolve(
        failure ?? (code === 0 ? undefined : `${settings.worker} exited with ${signal ?? `code ${code}`}`),
      ),
    );
  });
  return { settings, child, ready, exited };
};

/**
 * The demo: `workers` processes contend for one key through `ZookeeperLock`, each taking it
 * `rounds` times; then prints who held the lock when, with fencing tokens, and checks that no two
 * ever held it at once and that the tokens only went up. Starting ZooKeeper is the caller's job.
 */
export const runDemo = async (options: DemoOptions): Promise<DemoResult> => {
  const count = options.workers ?? 5;
  const rounds = options.rounds ?? 3;
  const pathPrefix = options.pathPrefix ?? 'zk-lock-demo';
  const key = options.key ?? 'printer';
  const names = Array.from({ length: count }, (_, i) => `worker-${i + 1}`);
  const { print } = options;

  print(`${count} worker processes take turns on /locks/${pathPrefix}/${key}, ${rounds} times each.`);
  const reports: WorkerReport[] = [];
  const workers = names.map((worker) =>
    startWorker(
      { worker, server: options.server, pathPrefix, key, rounds, holdMs: options.holdMs ?? [120, 320] },
      options.spawnWorker,
      reports,
    ),
  );
  await Promise.all(workers.map((worker) => worker.ready));
  const start: StartSignal = { type: 'start' };
  const origin = Date.now();
  for (const worker of workers) worker.child.send(start);
  const failures = (await Promise.all(workers.map((worker) => worker.exited))).filter(
    (failure): failure is string => failure !== undefined,
  );

  const holds = collectHolds(reports);
  const found = violations(holds);
  print('');
  print('Timeline (times since the start signal):');
  for (const line of renderEvents(holds, origin)) print(line);
  print('');
  print('Who held the lock when:');
  for (const line of renderChart(holds, names)) print(line);
  print('');
  const expected = count * rounds;
  const ok = failures.length === 0 && found.length === 0 && holds.length === expected;
  if (ok) {
    print(
      `✔ ${holds.length} acquisitions, never two holders at once, fencing tokens strictly increasing ` +
        `(${holds[0]?.fencingToken} … ${holds[holds.length - 1]?.fencingToken}).`,
    );
    print('  A store that remembers the largest token it has seen can refuse a holder whose lock was lost.');
  } else {
    for (const problem of [...failures, ...found]) print(`✘ ${problem}`);
    if (holds.length !== expected) print(`✘ ${holds.length} acquisitions recorded, ${expected} expected`);
  }
  return { holds, violations: found, failures, ok };
};

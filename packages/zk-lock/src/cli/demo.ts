import { spawn } from 'node:child_process';
import { runDemo, runDemoWorkerProcess, type WorkerSettings } from '../demo/index.js';
import type { DemoArgs } from './args.js';
import { DEMO_WORKER_COMMAND } from './args.js';
import { ExitCode } from './exit-codes.js';
import { printNotice } from './report.js';

/**
 * `zk-lock demo`: the facade's contention demo (five workers, one key) on a throw-away local
 * ZooKeeper, or on `--connect`. Each worker is this CLI again (`__demo-worker`), run the way this
 * process was run, so it works from the built bin and from source alike.
 */

const spawnWorker = (settings: WorkerSettings) =>
  spawn(
    process.execPath,
    [...process.execArgv, process.argv[1] as string, DEMO_WORKER_COMMAND, JSON.stringify(settings)],
    {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );

interface DemoServer {
  readonly address: string;
  readonly close: () => Promise<void>;
}

/** The testkit is bundled into the CLI for this; it needs Java and ZooKeeper's jar. */
const startLocalServer = async (): Promise<DemoServer> => {
  const { startZooKeeper } = await import('@zk-lock/testkit');
  printNotice('starting a local ZooKeeper...');
  const zookeeper = await startZooKeeper();
  return { address: zookeeper.connectString, close: () => zookeeper.close() };
};

export const runDemoCommand = async (args: DemoArgs): Promise<number> => {
  const server =
    args.connect === undefined
      ? await startLocalServer()
      : { address: args.connect, close: async () => undefined };
  try {
    const result = await runDemo({
      server: server.address,
      spawnWorker,
      print: (line) => process.stdout.write(`${line}\n`),
    });
    return result.ok ? ExitCode.OK : ExitCode.FAILURE;
  } finally {
    await server.close();
  }
};

export const runDemoWorker = (settings: string): Promise<number> =>
  runDemoWorkerProcess(settings).then(() => Number(process.exitCode ?? 0));

import { spawn, spawnSync } from 'node:child_process';
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

/** What a local server needs that npm does not install, said when something is missing. */
const LOCAL_SERVER_NEEDS =
  'It needs Java 17 or later (`java` on PATH, or JAVA_HOME) and ZooKeeper’s jar: ZOOKEEPER_JAR=<zookeeper-3.8.x.jar>, ' +
  'ZOOKEEPER_HOME=<an unpacked Apache ZooKeeper release>, or Debian’s zookeeper package. ' +
  'Or use a server you have: zk-lock demo --connect <host:port>';

/**
 * The testkit is bundled into the CLI for this; it starts ZooKeeper from Java and ZooKeeper's jar,
 * which an npm install does not bring. Both are looked for first, so that a missing one is said
 * plainly (with what to install or set) instead of failing halfway through a JVM start; undefined
 * then.
 */
const startLocalServer = async (): Promise<DemoServer | undefined> => {
  const { locateZooKeeper, startZooKeeper } = await import('@zk-lock/testkit');
  let java: string;
  try {
    java = locateZooKeeper().java;
  } catch (error) {
    printNotice(`demo cannot start a local ZooKeeper: ${(error as Error).message}\n${LOCAL_SERVER_NEEDS}`);
    return undefined;
  }
  const version = spawnSync(java, ['-version'], { stdio: 'ignore' });
  if (version.error !== undefined || version.status !== 0) {
    const why = version.error?.message ?? `exit code ${version.status}`;
    printNotice(
      `demo cannot start a local ZooKeeper: Java does not run (${java} -version: ${why})\n${LOCAL_SERVER_NEEDS}`,
    );
    return undefined;
  }
  printNotice('starting a local ZooKeeper...');
  const zookeeper = await startZooKeeper();
  return { address: zookeeper.connectString, close: () => zookeeper.close() };
};

export const runDemoCommand = async (args: DemoArgs): Promise<number> => {
  const server =
    args.connect === undefined
      ? await startLocalServer()
      : { address: args.connect, close: async () => undefined };
  if (server === undefined) return ExitCode.FAILURE;
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

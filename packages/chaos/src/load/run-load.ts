import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectRaw, startZooKeeper, waitFor } from '@zk-lock/testkit';
import { deriveSeed } from '../prng.js';
import { sessionsInCons } from '../run/cons.js';
import { lockNodesUnder } from '../run/lock-nodes.js';
import { exitOf, spawnTsNode } from '../run/node-process.js';
import { LOAD_CONFIG_ENV, type LoadDone, type LoadWorkerConfig } from './protocol.js';

const WORKER_ENTRY = fileURLToPath(new URL('./worker.ts', import.meta.url));
const PREFIX = 'load';

export interface LoadOptions {
  readonly processes: number;
  readonly acquisitions: number;
  readonly keys: number;
  readonly concurrency: number;
  readonly seed: number;
}

export interface LoadReport {
  readonly perProcess: ReadonlyArray<LoadDone>;
  /** `lock-` nodes under /locks/load once every process released everything. */
  readonly leftoverLockNodes: ReadonlyArray<string>;
  /** Session ids `cons` lists while the processes still run, idle. */
  readonly openSessions: ReadonlyArray<string>;
  /** How the processes exited once told to (expected: `code 0` each, i.e. nothing kept them alive). */
  readonly exits: ReadonlyArray<string>;
  /** The workers' logs. */
  readonly runDir: string;
}

/**
 * The load test of issue 6: `processes` processes make `acquisitions` acquisitions in all across
 * `keys` keys on one server. While the processes are still alive and idle, it checks what they left:
 * lock nodes, and sessions the server still has open.
 */
export const runLoad = async (options: LoadOptions): Promise<LoadReport> => {
  const zk = await startZooKeeper({ servers: 1 });
  const runDir = mkdtempSync(join(tmpdir(), 'zk-lock-load-'));
  const children = Array.from({ length: options.processes }, (_, index) => {
    const config: LoadWorkerConfig = {
      connectString: zk.connectString,
      pathPrefix: PREFIX,
      keys: options.keys,
      acquisitions: options.acquisitions / options.processes,
      concurrency: options.concurrency,
      seed: deriveSeed(options.seed, index),
      warmup: 400,
    };
    return spawnTsNode(
      WORKER_ENTRY,
      { [LOAD_CONFIG_ENV]: JSON.stringify(config) },
      join(runDir, `load-${index}.log`),
      ['--expose-gc'],
    );
  });
  try {
    const perProcess = await Promise.all(
      children.map(
        (child, index) =>
          new Promise<LoadDone>((resolve, reject) => {
            child.once('message', (message: LoadDone) => resolve(message));
            void exitOf(child).then((how) =>
              reject(new Error(`load worker ${index} exited with ${how}; see ${runDir}`)),
            );
          }),
      ),
    );
    const [member] = zk.members;
    if (member === undefined) throw new Error('no member');
    // A session closes with its last lock; the close request may still be in flight when the
    // worker reports. Poll the server (no event tells us) for a bounded moment.
    const openSessions = await waitFor(
      async () => {
        const sessions = sessionsInCons(await member.fourLetter('cons'));
        return sessions.length === 0 ? sessions : undefined;
      },
      { timeoutMs: 3_000, intervalMs: 100, message: 'no open sessions' },
    ).catch(async () => sessionsInCons(await member.fourLetter('cons')));
    const client = await connectRaw(zk.connectString);
    const leftoverLockNodes = await lockNodesUnder(client, `/locks/${PREFIX}`).finally(() => client.close());
    for (const child of children) child.send({ type: 'exit' });
    const exits = await Promise.all(
      children.map((child) =>
        Promise.race([
          exitOf(child),
          new Promise<string>((resolve) => setTimeout(() => resolve('still running'), 10_000)),
        ]),
      ),
    );
    return { perProcess, leftoverLockNodes, openSessions, exits, runDir };
  } finally {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await zk.close();
  }
};

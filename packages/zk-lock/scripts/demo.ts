/**
 * `npm run demo` (after scripts/demo.sh bootstrapped the repo): starts a local ZooKeeper through
 * the testkit, lets five worker processes contend for one key through `ZookeeperLock`, prints the
 * timeline, stops ZooKeeper. Exits 0 when the lock kept its promises.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startZooKeeper } from '@zk-lock/testkit';
import { runDemo } from '../src/demo/index.js';

const workerScript = fileURLToPath(new URL('./demo-worker.ts', import.meta.url));
const print = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

print('zk-lock demo');
print('');
print('Starting a local ZooKeeper …');
const zk = await startZooKeeper();
const ok = await (async () => {
  try {
    print(`ZooKeeper is serving on ${zk.connectString} (standalone, on a free loopback port).`);
    const result = await runDemo({
      server: zk.connectString,
      print,
      spawnWorker: (settings) =>
        fork(workerScript, [JSON.stringify(settings)], {
          execArgv: ['--import', 'tsx'],
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        }),
    });
    return result.ok;
  } finally {
    print('');
    print('Stopping ZooKeeper …');
    // The testkit's server processes are unref'd: keep this process alive until they are gone.
    const keepAlive = setInterval(() => undefined, 1000);
    await zk.close().finally(() => clearInterval(keepAlive));
  }
})();
print(ok ? 'Done.' : 'The demo found a problem (see above).');
process.exitCode = ok ? 0 : 1;

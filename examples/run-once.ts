// A job that must run on one machine at a time: whoever finds the lock taken skips the run
// instead of queueing up behind it.
// Run: ZK_LOCK_CONNECT=127.0.0.1:2181 pnpm exec tsx examples/run-once.ts
import { createLocks, ZookeeperLockAlreadyLockedError } from 'zk-lock';

const locks = createLocks({
  connect: process.env.ZK_LOCK_CONNECT ?? '127.0.0.1:2181',
  pathPrefix: 'examples',
});

const nightlyReport = async (machine: string, meanwhile: () => Promise<unknown> = async () => undefined) => {
  try {
    await locks.withLock(
      'nightly-report',
      async () => {
        console.log(`${machine}: generating the report`);
        await meanwhile();
      },
      { failImmediate: true },
    );
  } catch (error) {
    if (!(error instanceof ZookeeperLockAlreadyLockedError)) throw error;
    console.log(`${machine}: the report is already being generated elsewhere; skipped`);
  }
};

// machine-a runs the report; while it does, machine-b and machine-c try as well.
await nightlyReport('machine-a', () => Promise.all([nightlyReport('machine-b'), nightlyReport('machine-c')]));
// Once it is done, the next run may start anywhere.
await nightlyReport('machine-b');

await locks.close();

// The modern API in one file: acquire with `await using`, withLock, timeouts and cancelling.
// Run: ZK_LOCK_CONNECT=127.0.0.1:2181 pnpm exec tsx examples/basic.ts
import { createLocks, ZookeeperLockTimeoutError } from 'zk-lock';

const locks = createLocks({
  connect: process.env.ZK_LOCK_CONNECT ?? '127.0.0.1:2181',
  pathPrefix: 'examples',
});

{
  // Held until the end of the block, released even if something in it throws.
  await using lock = await locks.acquire('basic');
  console.log(`holding ${lock.path} with fencing token ${lock.fencingToken}`);

  // Someone else who will not wait longer than 200 ms gives up, and leaves no node behind.
  try {
    await locks.acquire('basic', { timeout: 200 });
  } catch (error) {
    if (!(error instanceof ZookeeperLockTimeoutError)) throw error;
    console.log('a second locker timed out while the lock was held');
  }

  // Waiting can also be cancelled from outside with an AbortSignal.
  try {
    await locks.acquire('basic', { signal: AbortSignal.timeout(200) });
  } catch (error) {
    if ((error as Error).name !== 'AbortError') throw error;
    console.log('a third locker was aborted while waiting');
  }
}
console.log('released at the end of the block');

// withLock: acquire, run, always release. The signal aborts if the lock is lost meanwhile.
const answer = await locks.withLock('basic', async (signal) => {
  console.log(`inside withLock, lost: ${signal.aborted}`);
  return 42;
});
console.log(`withLock returned ${answer}`);

await locks.close();

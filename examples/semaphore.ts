// A semaphore: at most two of six workers transcode at the same time.
// Run: ZK_LOCK_CONNECT=127.0.0.1:2181 pnpm exec tsx examples/semaphore.ts
import { setTimeout as sleep } from 'node:timers/promises';
import { createLocks } from 'zk-lock';

const locks = createLocks({
  connect: process.env.ZK_LOCK_CONNECT ?? '127.0.0.1:2181',
  pathPrefix: 'examples',
});

let running = 0;
let mostAtOnce = 0;

const worker = (name: string) =>
  locks.withLock(
    'transcoders',
    async () => {
      running++;
      mostAtOnce = Math.max(mostAtOnce, running);
      console.log(`${name} transcoding (${running} at once)`);
      await sleep(100);
      running--;
    },
    // Everyone contending on the key passes the same number of slots.
    { maxConcurrentHolders: 2 },
  );

await Promise.all(['w1', 'w2', 'w3', 'w4', 'w5', 'w6'].map(worker));
console.log(`at most ${mostAtOnce} at once`);

await locks.close();

// Read/write locks: readers share, a writer is alone, and readers that come after a waiting writer
// queue behind it, so a stream of readers cannot starve writers.
// Run: ZK_LOCK_CONNECT=127.0.0.1:2181 pnpm exec tsx examples/read-write.ts
import { setTimeout } from 'node:timers/promises';
import { createLocks } from 'zk-lock';

const locks = createLocks({
  connect: process.env.ZK_LOCK_CONNECT ?? '127.0.0.1:2181',
  pathPrefix: 'examples',
});

const readerA = await locks.readLock('catalog');
const readerB = await locks.readLock('catalog');
console.log('readers A and B hold the catalog together');

const writer = locks.writeLock('catalog').then((lock) => {
  console.log('writer holds the catalog alone');
  return lock;
});
// Let the writer's node join the queue before the late reader arrives (contenders() reads the queue).
while ((await locks.contenders('catalog')).length < 3) await setTimeout(10);

const readerC = locks.readLock('catalog').then((lock) => {
  console.log('reader C holds the catalog after the writer');
  return lock;
});

const queue = await locks.contenders('catalog');
console.log(`queue: ${queue.map((c) => `${c.kind}:${c.role}`).join(' ')}`);

await readerA.release();
console.log('reader A released; the writer still waits for reader B');
await readerB.release();
await (await writer).release();
await (await readerC).release();

await locks.close();

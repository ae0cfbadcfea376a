import { ZookeeperLock } from 'zk-lock';
import { createRng } from '../prng.js';
import {
  LOAD_CONFIG_ENV,
  type LoadDone,
  type LoadWorkerConfig,
  type MemorySample,
  type ToLoadWorker,
} from './protocol.js';

/**
 * A load worker: `concurrency` loops acquire and release random keys through `ZookeeperLock` with
 * its default shared session, until `acquisitions` are done; memory is sampled after a full GC
 * before (after a warm-up) and after.
 */
const config = JSON.parse(process.env[LOAD_CONFIG_ENV] ?? '') as LoadWorkerConfig;
const rng = createRng(config.seed);
const gc = (globalThis as { gc?: () => void }).gc;

const sample = (): MemorySample => {
  if (gc === undefined) throw new Error('run the load worker with --expose-gc');
  gc();
  gc();
  const { heapUsed, external, rss } = process.memoryUsage();
  return { heapUsed, external, rss };
};

const lockConfig = {
  serverLocator: config.connectString,
  pathPrefix: config.pathPrefix,
  sessionTimeout: 10_000,
};

const acquireRelease = async (): Promise<void> => {
  const lock = new ZookeeperLock(lockConfig);
  await lock.lock(`key-${rng.int(0, config.keys)}`, 30_000);
  await lock.unlock();
};

/** Runs `total` acquisitions over `concurrency` loops. */
const run = async (total: number): Promise<void> => {
  let started = 0;
  const loop = async (): Promise<void> => {
    while (started < total) {
      started += 1;
      await acquireRelease();
    }
  };
  await Promise.all(Array.from({ length: Math.min(config.concurrency, total) }, loop));
};

const main = async (): Promise<void> => {
  await run(config.warmup);
  const baseline = sample();
  const start = performance.now();
  await run(config.acquisitions);
  const elapsedMs = performance.now() - start;
  const done: LoadDone = {
    type: 'done',
    acquisitions: config.acquisitions,
    elapsedMs,
    baseline,
    after: sample(),
  };
  process.send?.(done);
  process.on('message', (message: ToLoadWorker) => {
    if (message.type === 'exit') process.disconnect?.();
  });
};

void main();

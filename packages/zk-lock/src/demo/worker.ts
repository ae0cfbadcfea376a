import { setTimeout as sleep } from 'node:timers/promises';
import { ZookeeperLock } from '../zookeeper-lock.js';
import type { WorkerReport, WorkerSettings } from './protocol.js';

const between = ([low, high]: readonly [number, number]): number =>
  low + Math.floor(Math.random() * (high - low + 1));

/**
 * One demo worker: takes the lock `rounds` times through the 2.x API exactly as a 2.x user would
 * (`initialize`, static `lock`, `unlock`), holding it for a random while each time, and reports
 * every step. Resolves when done; a failure is reported, then rethrown.
 */
export const runDemoWorker = async (
  settings: WorkerSettings,
  report: (message: WorkerReport) => void,
): Promise<void> => {
  const { worker } = settings;
  const separator = settings.server.lastIndexOf(':');
  const location = {
    host: settings.server.slice(0, separator),
    port: Number(settings.server.slice(separator + 1)),
  };
  ZookeeperLock.initialize({
    serverLocator: () => Promise.resolve(location),
    pathPrefix: settings.pathPrefix,
  });
  try {
    for (let round = 0; round < settings.rounds; round++) {
      report({ type: 'waiting', worker, at: Date.now() });
      const lock = await ZookeeperLock.lock(settings.key);
      report({
        type: 'acquired',
        worker,
        at: Date.now(),
        node: lock.key ?? '?',
        fencingToken: String(lock.fencingToken),
      });
      await sleep(between(settings.holdMs));
      report({ type: 'releasing', worker, at: Date.now() });
      await lock.unlock();
      // Give the others a fair chance before queueing again.
      await sleep(between([0, settings.holdMs[0]]));
    }
    report({ type: 'done', worker });
  } catch (error) {
    report({ type: 'failed', worker, message: error instanceof Error ? error.message : String(error) });
    throw error;
  }
};

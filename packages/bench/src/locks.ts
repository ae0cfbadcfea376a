import { ZookeeperLock } from 'zk-lock';
import type { BenchEnv } from './workload.js';

export interface LockSettings {
  /** Its own session instead of the process's shared one (2.x behaviour). */
  readonly connectionPerLock?: boolean;
  readonly maxConcurrentHolders?: number;
  /** Where this lock connects, when not directly to the bench's servers (W5: through a proxy). */
  readonly connectString?: string;
}

/** A lock object configured the way a 2.x user would, with the bench's session timeout and prefix. */
export const newLock = (env: BenchEnv, settings: LockSettings = {}): ZookeeperLock =>
  new ZookeeperLock({
    serverLocator: settings.connectString ?? env.connectString,
    sessionTimeout: env.sessionTimeoutMs,
    pathPrefix: env.pathPrefix,
    connectionPerLock: settings.connectionPerLock ?? false,
    maxConcurrentHolders: settings.maxConcurrentHolders ?? 1,
  });

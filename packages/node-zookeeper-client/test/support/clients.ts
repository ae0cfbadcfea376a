import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Zookeeper from '../../index.js';

/**
 * The two clients the regression tests compare: this fork, and node-zookeeper-client 1.1.3 as the
 * registry publishes it (a devDependency), typed with the fork's declarations (the API is the same).
 */

export type ZookeeperModule = typeof Zookeeper;

const require = createRequire(import.meta.url);

/** The fork's directory (what `require` of it loads). */
export const forkDir = fileURLToPath(new URL('../..', import.meta.url));
/** Stock 1.1.3's directory. */
export const stockDir = dirname(require.resolve('node-zookeeper-client/package.json'));

export const fork = require(forkDir) as ZookeeperModule;
export const stock = require(stockDir) as ZookeeperModule;

import type Bluebird from 'bluebird';
import { loadBluebird } from '#load-bluebird';

/*
 * Bluebird, the promise type of the 2.x API (2.x returned Bluebird promises, and its callers use
 * Bluebird's methods on them). Only `ZookeeperLock` imports this module, and it loads Bluebird at
 * the first call that returns one: an app that uses the modern API alone never loads it, whether
 * it imports the package or bundles it. The loader is `lib/load-bluebird.*` (package.json
 * `imports`), hand-written for each module system so that bundlers see its `require`.
 */

let loaded: typeof Bluebird | undefined;

/** Bluebird's `Promise`, loaded on first use. */
export const bluebird = (): typeof Bluebird => (loaded ??= loadBluebird());

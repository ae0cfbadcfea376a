// Not under its own name: an ES module bundle of an app often starts with esbuild's documented
// banner `import { createRequire } from 'module'`, which the bundler does not see, and a second
// top-level `createRequire` in the bundle would not load (bundle.test.ts).
import { createRequire as requireFrom } from 'node:module';
import type Bluebird from 'bluebird';

/*
 * Bluebird, the promise type of the 2.x API (2.x returned Bluebird promises, and its callers use
 * Bluebird's methods on them). Only `ZookeeperLock` imports this module, and it loads Bluebird at
 * the first call that returns one: an app that uses the modern API alone never loads it, whether
 * it imports the package or bundles it.
 */

let loaded: typeof Bluebird | undefined;

/**
 * An ES module requires Bluebird from its own URL, where the package manager put this package's
 * dependencies. The CommonJS build has no module URL (esbuild leaves `import.meta` empty there):
 * it calls its module's own `require`, written out so that a bundler of a CommonJS app finds
 * Bluebird and bundles it.
 */
const load = (): typeof Bluebird =>
  import.meta.url === undefined
    ? // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
      (require('bluebird') as typeof Bluebird)
    : (requireFrom(import.meta.url)('bluebird') as typeof Bluebird);

/** Bluebird's `Promise`, loaded on first use. */
export const bluebird = (): typeof Bluebird => (loaded ??= load());

import { createLocks, type Locks } from '../modern/index.js';
import type { ConnectionArgs } from './args.js';

/** The `Locks` a CLI command works with, from its connection flags (unset flags keep the defaults). */
export const locksFor = ({ connect, prefix, sessionTimeout, parentNodes }: ConnectionArgs): Locks =>
  createLocks({
    connect,
    ...(prefix === undefined ? {} : { pathPrefix: prefix }),
    ...(sessionTimeout === undefined ? {} : { sessionTimeout }),
    ...(parentNodes === undefined ? {} : { parentNodes }),
  });

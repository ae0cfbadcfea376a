import { debuglog } from 'node:util';

/**
 * zk-lock's debug log, shown with `NODE_DEBUG=zk-lock` (as 2.x's; the facade's trace log writes to
 * the same section).
 */
export const log = debuglog('zk-lock');

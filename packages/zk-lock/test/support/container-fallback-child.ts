/**
 * Run with NODE_DEBUG=zk-lock by containers.test.ts, through a proxy that answers the first
 * createContainer UNIMPLEMENTED: locks two new keys one after the other on one session.
 */
import { createLocks } from '../../src/index.js';

const [connect, pathPrefix] = process.argv.slice(2) as [string, string];
const locks = createLocks({ connect, pathPrefix });
// Held across the second key, so that both run on one session.
const first = await locks.acquire('first');
await (await locks.acquire('second')).release();
await first.release();
await locks.close();

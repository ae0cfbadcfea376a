/**
 * Run with NODE_DEBUG=zk-lock by trace-log.test.ts: one lock held and one waiting behind it,
 * both with the 2.x trace log on and short periods, for long enough to be reported.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ZookeeperLock } from '../../src/index.js';

const [server, pathPrefix] = process.argv.slice(2) as [string, string];
const config = {
  serverLocator: server,
  pathPrefix,
  enableTraceLog: true,
  traceLogRefresh: 100,
  traceLogQuietPeriod: 300,
};
const holder = await new ZookeeperLock(config).lock('traced');
const waiter = new ZookeeperLock(config);
const waiting = waiter.lock('traced').catch(() => undefined);
await sleep(700);
await holder.unlock();
await waiting;
await waiter.unlock();

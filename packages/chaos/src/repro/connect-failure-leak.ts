/**
 * Reproduction of chaos finding 2 (seed 3: worker w1.0 never exited after its last unlock): when
 * the request that confirms a new session fails with CONNECTION_LOSS, `lock()` rejects, but the
 * node-zookeeper-client client is not really closed: it reconnects, re-establishes the session and
 * pings forever. The session stays open on the server and the process never exits.
 *
 * Steps: a proxy in front of a standalone server forwards the first connection's handshake and
 * cuts it on the client's next packet (the confirming `exists('/')`); later connections pass.
 * `lock()` rejects with CONNECTION_LOSS, `destroy()` resolves, and three seconds later `cons`
 * still lists the session. Run from the repository root:
 * `TSX_TSCONFIG_PATH=tsconfig.json node --import tsx packages/chaos/src/repro/connect-failure-leak.ts`
 * Prints one JSON line; `sessions_open` > 0 is the bug (and the script then exits only because it
 * calls `process.exit`).
 */
import { connect, createServer } from 'node:net';
import { startZooKeeper } from '@zk-lock/testkit';
import { ZookeeperLock } from 'zk-lock';
import { sessionsInCons } from '../run/cons.js';

const zk = await startZooKeeper({ servers: 1 });
const [member] = zk.members;
if (member === undefined) throw new Error('no member');
let connections = 0;
const proxy = createServer((client) => {
  const first = ++connections === 1;
  const server = connect({ host: '127.0.0.1', port: member.port });
  let packets = 0;
  client.on('data', (chunk) => {
    packets += 1;
    if (first && packets === 2) {
      client.destroy();
      server.destroy();
    } else server.write(chunk);
  });
  server.on('data', (chunk) => client.write(chunk));
  client.on('close', () => server.destroy());
  server.on('close', () => client.destroy());
  client.on('error', () => undefined);
  server.on('error', () => undefined);
});
await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
const address = `127.0.0.1:${(proxy.address() as { port: number }).port}`;

const lock = new ZookeeperLock({ serverLocator: address, sessionTimeout: 4_000, connectionPerLock: true });
const rejected = await lock.lock('k', 3_000).then(
  () => 'acquired',
  (error: Error) => error.message,
);
await lock.destroy();
await new Promise((resolve) => setTimeout(resolve, 3_000));
const open = sessionsInCons(await member.fourLetter('cons'));
console.log(JSON.stringify({ rejected, connections_through_proxy: connections, sessions_open: open.length }));
proxy.close();
await zk.close();
process.exit(0);

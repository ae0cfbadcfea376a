import type { Client } from '../../index.js';
import type { ZookeeperModule } from './clients.js';

/**
 * The client's private ConnectionManager, for the fork's own tests of its reply parsing: they feed
 * socket chunks to it directly, with boundaries no server could be made to produce on demand.
 */
export interface Manager {
  state: number;
  socket: { destroy(): void; destroyed: boolean };
  pendingQueue: unknown[];
  pendingBuffer: Buffer | null;
  onSocketData(chunk: Buffer): void;
}

export const managerOf = (client: Client): Manager =>
  (client as unknown as { connectionManager: Manager }).connectionManager;

/** lib/ConnectionManager.js STATES.CONNECTED */
export const CONNECTED = 2;

/** A reply without payload: length, xid, zxid, error code. */
export const reply = (xid: number, err: number): Buffer => {
  const frame = Buffer.alloc(20);
  frame.writeInt32BE(16, 0);
  frame.writeInt32BE(xid, 4);
  frame.writeInt32BE(err, 16);
  return frame;
};

/**
 * A client of `zk` that believes it is connected (to nothing), with `count` exists requests (xids
 * 0 to count - 1) waiting for replies; `codes` collects the error code each one got (0: success).
 */
export const inFlight = (zk: ZookeeperModule, count: number) => {
  const client = zk.createClient('127.0.0.1:1');
  const manager = managerOf(client);
  manager.state = CONNECTED;
  manager.socket = { destroy: () => (manager.socket.destroyed = true), destroyed: false };
  const codes: number[] = [];
  for (let xid = 0; xid < count; xid++)
    manager.pendingQueue.push({
      request: { header: { xid, type: 3 } },
      callback: (error: { code: number } | null) => codes.push(error?.code ?? 0),
    });
  return { manager, codes };
};

import zookeeper from '@zk-lock/node-zookeeper-client';
import { packageVersion } from '../lib-version.js';

/**
 * node-zookeeper-client with nothing on top: the client zk-lock is built on (its fork,
 * @zk-lock/node-zookeeper-client), as the floor's workloads use it. Promises around its callbacks,
 * and nothing else, so what the floor measures is the client's own cost of the requests zk-lock's
 * recipe sends.
 */

/** `floor-node-zookeeper-client-<version>`: the client alone, named as the comparison shows it. */
export const floorLibName = (): string =>
  `floor-node-zookeeper-client-${packageVersion('@zk-lock/node-zookeeper-client')}`;

export type Client = zookeeper.Client;

/** A connected client with the bench's session timeout. */
export const connect = (connectString: string, sessionTimeout: number): Promise<Client> =>
  new Promise((resolve) => {
    const client = zookeeper.createClient(connectString, { sessionTimeout });
    client.once('connected', () => resolve(client));
    client.connect();
  });

export const close = (client: Client): Promise<void> =>
  new Promise((resolve) => {
    client.once('disconnected', () => resolve());
    client.close();
  });

type Failure = Error | zookeeper.Exception;

const settle =
  <A>(resolve: (value: A) => void, reject: (error: Failure) => void) =>
  (error: Failure | null, value: A): void =>
    error === null || error === undefined ? resolve(value) : reject(error);

/** Owner data of the size zk-lock writes into every lock node. */
export const ownerData = (): Buffer =>
  Buffer.from(
    JSON.stringify({
      lockId: crypto.randomUUID(),
      hostname: 'bench-floor',
      pid: process.pid,
      createdAt: Date.now(),
    }),
  );

/** The lock node: ephemeral and sequential, under `parent`. */
export const createLockNode = (client: Client, parent: string, data: Buffer): Promise<string> =>
  new Promise((resolve, reject) =>
    client.create(
      `${parent}/lock-`,
      data,
      zookeeper.CreateMode.EPHEMERAL_SEQUENTIAL,
      settle(resolve, reject),
    ),
  );

/**
 * ZooKeeper's createContainer (opcode 19: create's payload with the CONTAINER flags, open ACL, no
 * data), as zk-lock sends a lock parent. node-zookeeper-client has no container mode, so the frame
 * is encoded here and sent with the fork's public `queueEncoded` (the xid is the client's to write).
 */
const containerFrame = (path: string): Buffer => {
  const bytes = [Buffer.from(path), Buffer.from('world'), Buffer.from('anyone')] as const;
  const [pathBytes, scheme, id] = bytes;
  // xid, type; path; data (empty); one ACL: perms, scheme, id; flags.
  const length = 8 + (4 + pathBytes.length) + 4 + 4 + 4 + (4 + scheme.length) + (4 + id.length) + 4;
  const frame = Buffer.alloc(4 + length);
  let offset = frame.writeInt32BE(length, 0);
  offset = frame.writeInt32BE(0, offset);
  offset = frame.writeInt32BE(19, offset);
  offset = frame.writeInt32BE(pathBytes.length, offset);
  offset += pathBytes.copy(frame, offset);
  offset = frame.writeInt32BE(0, offset);
  offset = frame.writeInt32BE(1, offset);
  offset = frame.writeInt32BE(zookeeper.Permission.ALL, offset);
  offset = frame.writeInt32BE(scheme.length, offset);
  offset += scheme.copy(frame, offset);
  offset = frame.writeInt32BE(id.length, offset);
  offset += id.copy(frame, offset);
  frame.writeInt32BE(4, offset);
  return frame;
};

/** A lock parent as a container, made unless it exists (zk-lock sends this with the first create under a key). */
export const createParent = (client: Client, path: string): Promise<void> =>
  new Promise((resolve, reject) =>
    client.queueEncoded(containerFrame(path), undefined, (error) =>
      error === null ||
      error === undefined ||
      (error instanceof zookeeper.Exception && error.getCode() === zookeeper.Exception.NODE_EXISTS)
        ? resolve()
        : reject(error),
    ),
  );

/** The parent made with its ancestors, before anything is measured. */
export const createPath = (client: Client, path: string): Promise<string> =>
  new Promise((resolve, reject) => client.mkdirp(path, settle(resolve, reject)));

/** `getChildren2`: the listing that tells a locker where it stands. */
export const listChildren = (client: Client, parent: string): Promise<ReadonlyArray<string>> =>
  new Promise((resolve, reject) => client.getChildren(parent, settle(resolve, reject)));

export const remove = (client: Client, path: string): Promise<void> =>
  new Promise((resolve, reject) => client.remove(path, -1, settle(resolve, reject)));

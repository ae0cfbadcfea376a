import type { AclMode } from '@zk-lock/core';
import zookeeper, {
  type Client,
  type ClientError,
  type Event,
  type Stat,
} from '@zk-lock/node-zookeeper-client';
import type { ClientRequests, Contents, Listing } from '../../src/client-requests.js';
import type { NodeStat } from '../../src/stat.js';

/**
 * The session's requests through the client's public methods: the reference the encoded
 * requests (`client-requests.ts`) must answer exactly like.
 */

type Done<A> = (error: unknown, value?: A) => void;
type Watcher = (event: Event) => void;

const CLIENT_ACLS: Readonly<Record<AclMode, ReadonlyArray<zookeeper.ACL>>> = {
  open: zookeeper.ACL.OPEN_ACL_UNSAFE,
  creator: zookeeper.ACL.CREATOR_ALL_ACL,
};

const EMPTY = Buffer.alloc(0);

const toNodeStat = (stat: Stat): NodeStat => ({
  czxid: stat.czxid.readBigUInt64BE(0),
  mzxid: stat.mzxid.readBigUInt64BE(0),
  pzxid: stat.pzxid.readBigUInt64BE(0),
  ctime: Number(stat.ctime.readBigInt64BE(0)),
  mtime: Number(stat.mtime.readBigInt64BE(0)),
  version: stat.version,
  cversion: stat.cversion,
  aversion: stat.aversion,
  ephemeralOwner: stat.ephemeralOwner.toString('hex').padStart(16, '0'),
  dataLength: stat.dataLength,
  numChildren: stat.numChildren,
});

class PublicRequests implements ClientRequests {
  constructor(private readonly client: Client) {}

  create(path: string, data: Buffer, acl: AclMode, mode: number, done: Done<string>): void {
    this.client.create(path, data, CLIENT_ACLS[acl], mode, done);
  }

  getChildren(path: string, watcher: Watcher | undefined, done: Done<Listing>): void {
    const callback = (error: ClientError | null, children: string[], stat: Stat): void =>
      error ? done(error) : done(null, { children, stat: toNodeStat(stat) });
    if (watcher === undefined) this.client.getChildren(path, callback);
    else this.client.getChildren(path, watcher, callback);
  }

  getData(path: string, watcher: Watcher | undefined, done: Done<Contents>): void {
    const callback = (error: ClientError | null, data: Buffer, stat: Stat): void =>
      error ? done(error) : done(null, { data: data ?? EMPTY, stat: toNodeStat(stat) });
    if (watcher === undefined) this.client.getData(path, callback);
    else this.client.getData(path, watcher, callback);
  }

  exists(path: string, watcher: Watcher | undefined, done: Done<NodeStat | null>): void {
    const callback = (error: ClientError | null, stat: Stat | null): void =>
      error ? done(error) : done(null, stat ? toNodeStat(stat) : null);
    if (watcher === undefined) this.client.exists(path, callback);
    else this.client.exists(path, watcher, callback);
  }

  remove(path: string, version: number, done: Done<void>): void {
    this.client.remove(path, version, (error) => done(error));
  }

  setData(path: string, data: Buffer, version: number, done: Done<NodeStat>): void {
    this.client.setData(path, data, version, (error, stat) =>
      error ? done(error) : done(null, toNodeStat(stat)),
    );
  }
}

export const publicRequests = (client: Client): ClientRequests => new PublicRequests(client);

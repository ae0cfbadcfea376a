import type { AclMode } from '@zk-lock/core';
import zookeeper from 'node-zookeeper-client';
import { encodedQueue, type Reply, type SendEncoded, type WatcherRegistry } from './client-internals.js';
import { toNodeStat, type NodeStat } from './stat.js';
import {
  decodeChildren,
  decodeCreated,
  decodeData,
  decodeStat,
  encodeCreate,
  encodeDelete,
  encodePathRequest,
  OpCode,
  type ReplyDecoder,
  type WireAcl,
} from './wire.js';

/**
 * The five requests a session sends, callback style, on one client. Encoded in one pass, queued on
 * the client's connection and their replies decoded in one pass when its internals allow
 * (`encodedQueue`, `guardSocketData`); through the client's public methods otherwise. The callbacks
 * get the same values either way.
 */

type Done<A> = (error: unknown, value?: A) => void;

/** What `open` and `creator` mean: anyone may do anything, or only the session's authenticated ids. */
const WIRE_ACLS: Readonly<Record<AclMode, ReadonlyArray<WireAcl>>> = {
  open: [{ permission: zookeeper.Permission.ALL, id: { scheme: 'world', id: 'anyone' } }],
  creator: [{ permission: zookeeper.Permission.ALL, id: { scheme: 'auth', id: '' } }],
};

// Built by hand: the typings lack the client's ACL.OPEN_ACL_UNSAFE / ACL.CREATOR_ALL_ACL constants.
const CLIENT_ACLS: Readonly<Record<AclMode, zookeeper.ACL[]>> = {
  open: [new zookeeper.ACL(zookeeper.Permission.ALL, new zookeeper.Id('world', 'anyone'))],
  creator: [new zookeeper.ACL(zookeeper.Permission.ALL, new zookeeper.Id('auth', ''))],
};

type Watcher = (event: zookeeper.Event) => void;

export interface ClientRequests {
  create(path: string, data: Buffer, acl: AclMode, mode: number, done: Done<string>): void;
  getChildren(path: string, done: Done<Listing>): void;
  getData(path: string, watcher: Watcher | undefined, done: Done<Contents>): void;
  /** The node's stat, or null when there is none (a watcher then waits for its creation). */
  exists(path: string, watcher: Watcher | undefined, done: Done<NodeStat | null>): void;
  remove(path: string, version: number, done: Done<void>): void;
}

export interface Listing {
  readonly children: string[];
  readonly stat: NodeStat;
}

export interface Contents {
  readonly data: Buffer;
  readonly stat: NodeStat;
}

const NO_NODE = zookeeper.Exception.NO_NODE;
const EMPTY = Buffer.alloc(0);

const codeOf = (error: unknown): number | undefined =>
  error instanceof zookeeper.Exception ? error.getCode() : undefined;

/** A reply's payload, as the decoder its request was sent with read it (the decoder names its type). */
const payloadOf = <A>(reply: Reply | undefined, _decoder: ReplyDecoder<A>): A => reply?.payload as A;

class EncodedRequests implements ClientRequests {
  constructor(
    private readonly send: SendEncoded,
    private readonly watchers: WatcherRegistry,
  ) {}

  create(path: string, data: Buffer, acl: AclMode, mode: number, done: Done<string>): void {
    this.send(OpCode.create, encodeCreate(path, data, WIRE_ACLS[acl], mode), decodeCreated, (error, reply) =>
      error ? done(error) : done(null, payloadOf(reply, decodeCreated).path),
    );
  }

  getChildren(path: string, done: Done<Listing>): void {
    const frame = encodePathRequest(OpCode.getChildren2, path, false);
    this.send(OpCode.getChildren2, frame, decodeChildren, (error, reply) =>
      error ? done(error) : done(null, payloadOf(reply, decodeChildren)),
    );
  }

  getData(path: string, watcher: Watcher | undefined, done: Done<Contents>): void {
    const frame = encodePathRequest(OpCode.getData, path, watcher !== undefined);
    this.send(OpCode.getData, frame, decodeData, (error, reply) => {
      if (error) return done(error);
      if (watcher !== undefined) this.watchers.data(path, watcher);
      const { data, stat } = payloadOf(reply, decodeData);
      done(null, { data: data ?? EMPTY, stat });
    });
  }

  exists(path: string, watcher: Watcher | undefined, done: Done<NodeStat | null>): void {
    const frame = encodePathRequest(OpCode.exists, path, watcher !== undefined);
    this.send(OpCode.exists, frame, decodeStat, (error, reply) => {
      if (error && codeOf(error) !== NO_NODE) return done(error);
      // As the client's own `exists`: a data watch on a node that is there, else one on its creation.
      const stat = error ? null : payloadOf(reply, decodeStat).stat;
      if (watcher !== undefined)
        (stat === null ? this.watchers.existence : this.watchers.data)(path, watcher);
      done(null, stat);
    });
  }

  remove(path: string, version: number, done: Done<void>): void {
    this.send(OpCode.delete, encodeDelete(path, version), undefined, (error) => done(error));
  }
}

/** The client's public methods, for clients whose internals `encodedQueue` does not know. */
class PublicRequests implements ClientRequests {
  constructor(private readonly client: zookeeper.Client) {}

  create(path: string, data: Buffer, acl: AclMode, mode: number, done: Done<string>): void {
    this.client.create(path, data, CLIENT_ACLS[acl], mode, done);
  }

  getChildren(path: string, done: Done<Listing>): void {
    this.client.getChildren(path, (error, children, stat) =>
      error ? done(error) : done(null, { children, stat: toNodeStat(stat) }),
    );
  }

  getData(path: string, watcher: Watcher | undefined, done: Done<Contents>): void {
    const callback = (error: Error | zookeeper.Exception | null, data: Buffer, stat: zookeeper.Stat): void =>
      error ? done(error) : done(null, { data: data ?? EMPTY, stat: toNodeStat(stat) });
    if (watcher === undefined) this.client.getData(path, callback);
    else this.client.getData(path, watcher, callback);
  }

  exists(path: string, watcher: Watcher | undefined, done: Done<NodeStat | null>): void {
    const callback = (error: Error | zookeeper.Exception | null, stat: zookeeper.Stat | null): void =>
      error ? done(error) : done(null, stat ? toNodeStat(stat) : null);
    if (watcher === undefined) this.client.exists(path, callback);
    else this.client.exists(path, watcher, callback);
  }

  remove(path: string, version: number, done: Done<void>): void {
    this.client.remove(path, version, (error) => done(error));
  }
}

/** The requests of `client`: encoded directly when its internals allow, else its public methods. */
export const clientRequests = (client: zookeeper.Client): ClientRequests => {
  const queue = encodedQueue(client);
  return queue === undefined ? new PublicRequests(client) : new EncodedRequests(queue.send, queue.watchers);
};

/** The public methods alone (for tests that compare both ways). */
export const publicRequests = (client: zookeeper.Client): ClientRequests => new PublicRequests(client);

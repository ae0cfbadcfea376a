import type { AclMode } from '@zk-lock/core';
import zookeeper, { type Client, type Event } from '@zk-lock/node-zookeeper-client';
import type { NodeStat } from './stat.js';
import {
  decodeChildren,
  decodeCreated,
  decodeData,
  decodeStat,
  encodeCreate,
  encodeDelete,
  encodeSetData,
  encodePathRequest,
  OpCode,
  type ReplyDecoder,
  type WireAcl,
} from './wire.js';

/**
 * The requests a session sends, callback style, on one client: encoded in one pass
 * (`wire.ts`), sent with the client's `queueEncoded` and their replies decoded in one pass by
 * `wire.ts`'s decoders; watches left with its `registerWatcher`, as its own methods leave them.
 */

type Done<A> = (error: unknown, value?: A) => void;

/** What `open` and `creator` mean: anyone may do anything, or only the session's authenticated ids. */
const WIRE_ACLS: Readonly<Record<AclMode, ReadonlyArray<WireAcl>>> = {
  open: [{ permission: zookeeper.Permission.ALL, id: { scheme: 'world', id: 'anyone' } }],
  creator: [{ permission: zookeeper.Permission.ALL, id: { scheme: 'auth', id: '' } }],
};

type Watcher = (event: Event) => void;

export interface ClientRequests {
  /** `flags`: the create mode's (`CreateFlags`); a container goes as ZooKeeper's createContainer. */
  create(path: string, data: Buffer, acl: AclMode, flags: number, done: Done<string>): void;
  /** With a watcher, a child watch: it fires when the children change or the node is deleted. */
  getChildren(path: string, watcher: Watcher | undefined, done: Done<Listing>): void;
  getData(path: string, watcher: Watcher | undefined, done: Done<Contents>): void;
  /** The node's stat, or null when there is none (a watcher then waits for its creation). */
  exists(path: string, watcher: Watcher | undefined, done: Done<NodeStat | null>): void;
  remove(path: string, version: number, done: Done<void>): void;
  /** The node's new stat; BAD_VERSION when it is not at `version` (-1: any). */
  setData(path: string, data: Buffer, version: number, done: Done<NodeStat>): void;
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

class EncodedRequests implements ClientRequests {
  constructor(private readonly client: Client) {}

  /**
   * The client's method is looked up on every call, as a caller of its own methods would: whoever
   * wraps it (a test dropping a reply) sees these requests too.
   */
  #send<A>(frame: Buffer, decode: ReplyDecoder<A> | undefined, done: Done<A>): void {
    this.client.queueEncoded(frame, decode, done);
  }

  create(path: string, data: Buffer, acl: AclMode, flags: number, done: Done<string>): void {
    this.#send(encodeCreate(path, data, WIRE_ACLS[acl], flags), decodeCreated, (error, reply) =>
      error ? done(error) : done(null, reply?.path),
    );
  }

  getChildren(path: string, watcher: Watcher | undefined, done: Done<Listing>): void {
    const frame = encodePathRequest(OpCode.getChildren2, path, watcher !== undefined);
    this.#send(frame, decodeChildren, (error, reply) => {
      if (error || reply === undefined) return done(error);
      if (watcher !== undefined) this.client.registerWatcher('child', path, watcher);
      done(null, reply);
    });
  }

  getData(path: string, watcher: Watcher | undefined, done: Done<Contents>): void {
    const frame = encodePathRequest(OpCode.getData, path, watcher !== undefined);
    this.#send(frame, decodeData, (error, reply) => {
      if (error || reply === undefined) return done(error);
      if (watcher !== undefined) this.client.registerWatcher('data', path, watcher);
      done(null, { data: reply.data ?? EMPTY, stat: reply.stat });
    });
  }

  exists(path: string, watcher: Watcher | undefined, done: Done<NodeStat | null>): void {
    const frame = encodePathRequest(OpCode.exists, path, watcher !== undefined);
    this.#send(frame, decodeStat, (error, reply) => {
      if (error && codeOf(error) !== NO_NODE) return done(error);
      // As the client's own `exists`: a data watch on a node that is there, else one on its creation.
      const stat = error ? null : (reply?.stat ?? null);
      if (watcher !== undefined)
        this.client.registerWatcher(stat === null ? 'existence' : 'data', path, watcher);
      done(null, stat);
    });
  }

  remove(path: string, version: number, done: Done<void>): void {
    this.#send(encodeDelete(path, version), undefined, (error) => done(error));
  }

  setData(path: string, data: Buffer, version: number, done: Done<NodeStat>): void {
    this.#send(encodeSetData(path, data, version), decodeStat, (error, reply) =>
      error || reply === undefined ? done(error) : done(null, reply.stat),
    );
  }
}

/** The requests of a session on `client`. */
export const clientRequests = (client: Client): ClientRequests => new EncodedRequests(client);

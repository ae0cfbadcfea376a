import type { AclMode } from '@zk-lock/core';
import zookeeper from 'node-zookeeper-client';
import { encodedQueue, type SendEncoded, type WatcherRegistry } from './client-internals.js';
import { encodeCreate, encodeDelete, encodePathRequest, OpCode, type WireAcl } from './wire.js';

/**
 * The five requests a session sends, callback style, on one client. Encoded in one pass and queued
 * on the client's connection when its internals allow (`encodedQueue`); through the client's public
 * methods otherwise. Either way the client decodes the replies, and the callbacks get the same
 * values: the answers of the public methods.
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
  getChildren(path: string, done: Done<{ children: string[]; stat: zookeeper.Stat }>): void;
  getData(
    path: string,
    watcher: Watcher | undefined,
    done: Done<{ data: Buffer; stat: zookeeper.Stat }>,
  ): void;
  /** The node's stat, or null when there is none (a watcher then waits for its creation). */
  exists(path: string, watcher: Watcher | undefined, done: Done<zookeeper.Stat | null>): void;
  remove(path: string, version: number, done: Done<void>): void;
}

/** Response records as the client decodes them (`lib/jute/specification.json`). */
interface Decoded {
  readonly path: string;
  readonly children: string[];
  readonly data: Buffer | null;
  readonly stat: zookeeper.Stat;
}

const NO_NODE = zookeeper.Exception.NO_NODE;

const codeOf = (error: unknown): number | undefined =>
  error instanceof zookeeper.Exception ? error.getCode() : undefined;

class EncodedRequests implements ClientRequests {
  constructor(
    private readonly send: SendEncoded,
    private readonly watchers: WatcherRegistry,
  ) {}

  create(path: string, data: Buffer, acl: AclMode, mode: number, done: Done<string>): void {
    this.send(OpCode.create, encodeCreate(path, data, WIRE_ACLS[acl], mode), (error, reply) =>
      error ? done(error) : done(null, (reply?.payload as Decoded).path),
    );
  }

  getChildren(path: string, done: Done<{ children: string[]; stat: zookeeper.Stat }>): void {
    this.send(OpCode.getChildren2, encodePathRequest(OpCode.getChildren2, path, false), (error, reply) =>
      error ? done(error) : done(null, reply?.payload as Decoded),
    );
  }

  getData(
    path: string,
    watcher: Watcher | undefined,
    done: Done<{ data: Buffer; stat: zookeeper.Stat }>,
  ): void {
    this.send(
      OpCode.getData,
      encodePathRequest(OpCode.getData, path, watcher !== undefined),
      (error, reply) => {
        if (error) return done(error);
        if (watcher !== undefined) this.watchers.data(path, watcher);
        const { data, stat } = reply?.payload as Decoded;
        done(null, { data: data ?? EMPTY, stat });
      },
    );
  }

  exists(path: string, watcher: Watcher | undefined, done: Done<zookeeper.Stat | null>): void {
    this.send(
      OpCode.exists,
      encodePathRequest(OpCode.exists, path, watcher !== undefined),
      (error, reply) => {
        if (error && codeOf(error) !== NO_NODE) return done(error);
        // As the client's own `exists`: a data watch on a node that is there, else one on its creation.
        const stat = error ? null : (reply?.payload as Decoded).stat;
        if (watcher !== undefined)
          (stat === null ? this.watchers.existence : this.watchers.data)(path, watcher);
        done(null, stat);
      },
    );
  }

  remove(path: string, version: number, done: Done<void>): void {
    this.send(OpCode.delete, encodeDelete(path, version), (error) => done(error));
  }
}

const EMPTY = Buffer.alloc(0);

/** The client's public methods, for clients whose internals `encodedQueue` does not know. */
class PublicRequests implements ClientRequests {
  constructor(private readonly client: zookeeper.Client) {}

  create(path: string, data: Buffer, acl: AclMode, mode: number, done: Done<string>): void {
    this.client.create(path, data, CLIENT_ACLS[acl], mode, done);
  }

  getChildren(path: string, done: Done<{ children: string[]; stat: zookeeper.Stat }>): void {
    this.client.getChildren(path, (error, children, stat) =>
      error ? done(error) : done(null, { children, stat }),
    );
  }

  getData(
    path: string,
    watcher: Watcher | undefined,
    done: Done<{ data: Buffer; stat: zookeeper.Stat }>,
  ): void {
    const callback = (error: Error | zookeeper.Exception | null, data: Buffer, stat: zookeeper.Stat): void =>
      error ? done(error) : done(null, { data: data ?? EMPTY, stat });
    if (watcher === undefined) this.client.getData(path, callback);
    else this.client.getData(path, watcher, callback);
  }

  exists(path: string, watcher: Watcher | undefined, done: Done<zookeeper.Stat | null>): void {
    const callback = (error: Error | zookeeper.Exception | null, stat: zookeeper.Stat | null): void =>
      error ? done(error) : done(null, stat ?? null);
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

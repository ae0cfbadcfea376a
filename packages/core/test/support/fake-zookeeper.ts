import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import {
  parentHint,
  zkFailure,
  type ChildWithOwner,
  type ConnectionEvent,
  type LockRequest,
  type LockPort,
  type ParentNodes,
  type SessionInfo,
  type ZkErrorCode,
  type ZkFailure,
} from '@zk-lock/core';

/**
 * An in-memory ZooKeeper for the core's tests: a tree of znodes with czxids, per-parent sequence
 * counters, ephemeral owners, one-shot deletion watches and sessions that can be suspended,
 * reconnected and expired. `FakeSession.port()` implements `LockPort` over it. It is a test
 * double of the server's *semantics*, not of the network: requests apply at once, replies and
 * watch notifications arrive asynchronously (microtasks), as they would over a socket.
 */

interface FakeNode {
  data: string;
  /** Session id, or 16 zeros for a persistent node. */
  ephemeralOwner: string;
  czxid: bigint;
  /** The next sequence number handed to a sequential child (ZooKeeper keeps it per parent). */
  nextSequence: number;
  /** A container: `reapContainers` deletes it once it is empty after having had children. */
  container: boolean;
  /** Children created or deleted under it so far (ZooKeeper's cversion). */
  cversion: number;
}

interface Watch {
  readonly session: FakeSession;
  readonly onGone: () => void;
}

const PERSISTENT = '0000000000000000';
const parentOf = (path: string): string => path.slice(0, path.lastIndexOf('/')) || '/';
const nameOf = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** A failure to inject into the next call of a port method. `applied`: the request took effect, only the reply was lost. */
export interface Fault {
  readonly code: ZkErrorCode;
  readonly applied?: boolean;
}

/**
 * The requests the server sees; `createSequentialAndList` is its create, then its listing, after
 * `createParent` when a parent create goes ahead of the node's.
 */
export type ServerRequest = LockRequest | 'createParent';

/** The port's methods (what a gated port holds back). */
export type PortMethod = ServerRequest | 'createSequentialAndList';

export class FakeZooKeeper {
  private zxid = 0n;
  private sessionCount = 0;
  private readonly nodes = new Map<string, FakeNode>([['/', this.node('', PERSISTENT)]]);
  private readonly watches = new Map<string, Set<Watch>>();

  session(timeoutMs = 15000): FakeSession {
    this.sessionCount++;
    return new FakeSession(this, this.sessionCount.toString(16).padStart(16, '0'), timeoutMs);
  }

  exists(path: string): boolean {
    return this.nodes.has(path);
  }

  children(parent: string): string[] {
    const prefix = parent === '/' ? '/' : `${parent}/`;
    const names: string[] = [];
    for (const path of this.nodes.keys())
      if (path !== '/' && path.startsWith(prefix) && !path.slice(prefix.length).includes('/'))
        names.push(path.slice(prefix.length));
    return names;
  }

  /** Every ephemeral node in the tree (lock nodes are the only ones the recipe makes). */
  ephemeralPaths(): string[] {
    return [...this.nodes].filter(([, n]) => n.ephemeralOwner !== PERSISTENT).map(([p]) => p);
  }

  ownerOf(path: string): { data: string; ephemeralOwner: string } {
    const node = this.nodes.get(path);
    return { data: node?.data ?? '', ephemeralOwner: node?.ephemeralOwner ?? PERSISTENT };
  }

  czxid(path: string): bigint | undefined {
    return this.nodes.get(path)?.czxid;
  }

  /** Creates `path` (and missing ancestors) as persistent nodes, `path` itself as `leaf`; existing ones are kept. */
  mkdirp(path: string, leaf: ParentNodes = 'persistent'): void {
    const segments = path.split('/').filter((s) => s !== '');
    let current = '';
    for (const segment of segments) {
      current = `${current}/${segment}`;
      if (!this.nodes.has(current))
        this.add(current, this.node('', PERSISTENT, current === path && leaf === 'container'));
    }
  }

  /** Creates the empty node `path` (a lock parent) as `mode`: NO_NODE without its parent, NODE_EXISTS when there. */
  createNode(path: string, mode: ParentNodes): 'OK' | 'NO_NODE' | 'NODE_EXISTS' {
    if (this.nodes.has(path)) return 'NODE_EXISTS';
    if (!this.nodes.has(parentOf(path))) return 'NO_NODE';
    this.add(path, this.node('', PERSISTENT, mode === 'container'));
    return 'OK';
  }

  isContainer(path: string): boolean {
    return this.nodes.get(path)?.container === true;
  }

  /**
   * The server's container check: deletes every container that is empty and once had a child
   * (as ZooKeeper's `ContainerManager` does, every `znode.container.checkIntervalMs`).
   */
  reapContainers(): string[] {
    const reaped = [...this.nodes]
      .filter(([path, node]) => node.container && node.cversion > 0 && this.children(path).length === 0)
      .map(([path]) => path);
    for (const path of reaped) this.remove(path);
    return reaped;
  }

  /** Puts a node with an explicit name, e.g. a competitor `lock-0000000000` of another session. */
  put(path: string, data: string, ephemeralOwner = PERSISTENT): void {
    this.mkdirp(parentOf(path));
    this.add(path, this.node(data, ephemeralOwner));
  }

  createSequential(parent: string, prefix: string, data: string, owner: string): string | ZkErrorCode {
    const parentNode = this.nodes.get(parent);
    if (parentNode === undefined) return 'NO_NODE';
    const name = `${prefix}${String(parentNode.nextSequence++).padStart(10, '0')}`;
    this.add(`${parent}/${name}`, this.node(data, owner));
    return name;
  }

  /** Deletes a node; fires its deletion watches. */
  remove(path: string): 'OK' | 'NOT_EMPTY' {
    if (!this.nodes.has(path)) return 'OK';
    if (this.children(path).length > 0) return 'NOT_EMPTY';
    this.nodes.delete(path);
    const parent = this.nodes.get(parentOf(path));
    if (parent !== undefined) parent.cversion++;
    const watches = this.watches.get(path);
    this.watches.delete(path);
    for (const watch of watches ?? [])
      if (watch.session.state !== 'expired') queueMicrotask(() => watch.onGone());
    return 'OK';
  }

  /** Deletes a whole subtree (an operator wiping a lock parent). */
  removeTree(path: string): void {
    for (const child of this.children(path)) this.removeTree(`${path}/${child}`);
    this.remove(path);
  }

  watch(path: string, watch: Watch): () => void {
    const set = this.watches.get(path) ?? new Set<Watch>();
    set.add(watch);
    this.watches.set(path, set);
    return () => set.delete(watch);
  }

  dropEphemerals(owner: string): void {
    for (const [path, node] of [...this.nodes]) if (node.ephemeralOwner === owner) this.remove(path);
  }

  private node(data: string, ephemeralOwner: string, container = false): FakeNode {
    this.zxid++;
    return { data, ephemeralOwner, czxid: this.zxid, nextSequence: 0, container, cversion: 0 };
  }

  private add(path: string, node: FakeNode): void {
    this.nodes.set(path, node);
    const parent = this.nodes.get(parentOf(path));
    if (parent !== undefined && path !== '/') parent.cversion++;
  }
}

export class FakeSession {
  state: 'connected' | 'suspended' | 'expired' = 'connected';
  private readonly listeners = new Set<(event: ConnectionEvent) => void>();
  private readonly faults = new Map<ServerRequest, Fault[]>();
  /** `disconnect` calls, over all ports of this session. */
  disconnects = 0;
  /** Requests that reached the fake server, by method (what a benchmark would count as packets). */
  readonly requests: ServerRequest[] = [];

  constructor(
    readonly zk: FakeZooKeeper,
    readonly id: string,
    readonly timeoutMs: number,
  ) {}

  get info(): SessionInfo {
    return { sessionId: this.id, sessionTimeoutMs: this.timeoutMs };
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  /** The next call of `method` fails with `fault` (after applying the request if `applied`). */
  inject(method: ServerRequest, fault: Fault): void {
    this.faults.set(method, [...(this.faults.get(method) ?? []), fault]);
  }

  /** The socket dropped; by default a third of the session timeout is left (suspended at 2/3). */
  suspend(lostInMs = this.timeoutMs / 3): void {
    this.state = 'suspended';
    this.emit({ type: 'suspended', lostInMs });
  }

  reconnect(): void {
    this.state = 'connected';
    this.emit({ type: 'reconnected' });
  }

  /** The server expired the session: its ephemeral nodes go, its watches die. */
  expire(): void {
    this.state = 'expired';
    this.zk.dropEphemerals(this.id);
    this.emit({ type: 'lost', reason: 'expired' });
  }

  /**
   * A `LockPort` of this session. With `ignoreConnectionState`, requests apply even while
   * suspended (a test that decides each request's fate itself uses it).
   */
  port(options: { ignoreConnectionState?: boolean } = {}): LockPort {
    const zk = this.zk;
    const request = <A>(method: ServerRequest, apply: () => A | ZkFailure) =>
      this.request(method, apply, options.ignoreConnectionState === true);
    // Sent ahead of a node's create when the machine says so; its answer is not awaited.
    const createParentAhead = (parent: string, mode: ParentNodes | undefined): void => {
      if (mode !== undefined) void request('createParent', () => zk.createNode(parent, mode))();
    };
    const createSequential = (parent: string, prefix: string, data: string, ahead?: ParentNodes) => {
      createParentAhead(parent, ahead);
      return request('createSequential', () => {
        const created = zk.createSequential(parent, prefix, data, this.id);
        return created === 'NO_NODE' ? zkFailure('NO_NODE', 'no parent', parent) : created;
      });
    };
    const listChildren = (parent: string) =>
      request('listChildren', () => {
        const czxid = zk.czxid(parent);
        return czxid === undefined
          ? zkFailure('NO_NODE', 'no parent', parent)
          : { children: zk.children(parent), parentCzxid: czxid };
      });
    return {
      connect: () => request('connect', () => this.info),
      // Like a port on a cold pool: every attempt goes through `connect` (the model covers the other way).
      connectNow: () => O.none,
      createSequential,
      // Both requests are sent before either answer is awaited, as over the wire: the listing
      // applies right after the create (also when the create fails; its answer is then ignored).
      createSequentialAndList: (parent, prefix, data, ahead) => async () => {
        const created = createSequential(parent, prefix, data, ahead)();
        const listed = listChildren(parent)();
        const node = await created;
        return E.isLeft(node) ? node : E.right({ node: node.right, listing: await listed });
      },
      createParents: (path, mode) => request('createParents', () => zk.mkdirp(path, mode)),
      // This fake's session knows where every parent is (the adapter's is a cache of what it saw).
      parentHint: (parent) => parentHint('container', zk.exists(parent)),
      listChildren,
      listChildrenWithOwners: (parent) =>
        request('listChildrenWithOwners', () => {
          if (!zk.exists(parent)) return zkFailure('NO_NODE', 'no parent', parent);
          return zk.children(parent).map((name): ChildWithOwner => this.withOwner(`${parent}/${name}`));
        }),
      watchDeletion: (paths, onReport) =>
        request('watchDeletion', () => {
          let armed = true;
          const deleted = (path: string) => () => {
            if (armed) onReport({ _tag: 'Deleted', path });
          };
          for (const path of paths) if (!zk.exists(path)) queueMicrotask(deleted(path));
          const unwatch = paths.map((path) => zk.watch(path, { session: this, onGone: deleted(path) }));
          return () => {
            armed = false;
            unwatch.forEach((u) => u());
          };
        }),
      remove: (path) =>
        request('remove', () =>
          zk.remove(path) === 'OK' ? undefined : zkFailure('NOT_EMPTY', 'has children', path),
        ),
      subscribe: (listener) => {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
      },
      disconnect: () => {
        this.disconnects++;
        return Promise.resolve();
      },
    };
  }

  private withOwner(path: string): ChildWithOwner {
    return { name: nameOf(path), ...this.zk.ownerOf(path) };
  }

  private request<A>(
    method: ServerRequest,
    apply: () => A | ZkFailure,
    ignoreState: boolean,
  ): TE.TaskEither<ZkFailure, A> {
    return () => {
      const fault = this.faults.get(method)?.shift();
      const result = ((): A | ZkFailure => {
        if (this.state === 'expired') return zkFailure('SESSION_EXPIRED', 'session expired');
        if (fault !== undefined) {
          this.requests.push(method);
          if (fault.applied === true) apply();
          return zkFailure(fault.code, `injected ${fault.code}`);
        }
        if (this.state === 'suspended' && !ignoreState) return zkFailure('CONNECTION_LOSS', 'suspended');
        this.requests.push(method);
        return apply();
      })();
      const isFailure =
        typeof result === 'object' && result !== null && (result as ZkFailure)._tag === 'ZkFailure';
      return Promise.resolve(isFailure ? E.left(result as ZkFailure) : E.right(result as A));
    };
  }

  private emit(event: ConnectionEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }
}

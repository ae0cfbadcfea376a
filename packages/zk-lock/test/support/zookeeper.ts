import { connectRaw, startZooKeeper, type StartZooKeeperOptions, type ZooKeeper } from '@zk-lock/testkit';
import zookeeper from '@zk-lock/node-zookeeper-client';
import { afterAll, beforeAll } from 'vitest';
import type { ZookeeperLockConfiguration } from 'zk-lock';

/**
 * One real ZooKeeper per test file (tests in a file run one after another), plus a plain client
 * that inspects the tree behind the library's back.
 */
export interface TestServer {
  readonly zk: ZooKeeper;
  /** The plain client; `renewObserver()` replaces it. */
  readonly observer: zookeeper.Client;
  /** The first member's `{ host, port }` */
  readonly location: { host: string; port: number };
  /**
   * Replaces the observer by a newly connected client; for tests that restart the server. A plain
   * client can be slow to come back from a restart: ZooKeeper 3.8.0 can accept a connection while
   * it starts and then leave it silent, and the client abandons that handshake only after its
   * default deadline, the whole session timeout (the library's sessions use a third of it).
   */
  renewObserver(): Promise<void>;
}

export const useZooKeeper = (options: StartZooKeeperOptions = {}): (() => TestServer) => {
  let server: TestServer | undefined;
  beforeAll(async () => {
    const zk = await startZooKeeper(options);
    const member = zk.members[0];
    if (member === undefined) throw new Error('no member');
    let observer = await connectRaw(zk.connectString);
    server = {
      zk,
      get observer() {
        return observer;
      },
      location: { host: '127.0.0.1', port: member.port },
      async renewObserver() {
        observer.close();
        observer = await connectRaw(zk.connectString);
      },
    };
  });
  afterAll(async () => {
    server?.observer.close();
    await server?.zk.close();
  });
  return () => {
    if (server === undefined) throw new Error('ZooKeeper is not started');
    return server;
  };
};

let prefixes = 0;

/** A path prefix no other test uses, so tests never see each other's nodes. */
export const freshPrefix = (): string => `t${process.pid}-${++prefixes}`;

/** A 2.x-style configuration (a locator function) for `server`, with a fresh prefix. */
export const configFor = (
  server: TestServer,
  overrides: ZookeeperLockConfiguration = {},
): ZookeeperLockConfiguration & { pathPrefix: string } => ({
  serverLocator: () => Promise.resolve(server.location),
  pathPrefix: freshPrefix(),
  ...overrides,
});

/** The `lock-` children of `parent`, sorted; `[]` when the parent does not exist. */
export const lockNodes = (client: zookeeper.Client, parent: string): Promise<string[]> =>
  new Promise((resolve, reject) => {
    client.getChildren(parent, (error, children) => {
      if (error === null || error === undefined)
        resolve(children.filter((c) => c.startsWith('lock-')).sort());
      else if ((error as { code?: number }).code === zookeeper.Exception.NO_NODE) resolve([]);
      else reject(error);
    });
  });

/** A node's data and ephemeral owner (16 hex digits). */
export const nodeInfo = (
  client: zookeeper.Client,
  path: string,
): Promise<{ data: string; ephemeralOwner: string }> =>
  new Promise((resolve, reject) => {
    client.getData(path, (error, data, stat) => {
      if (error) reject(error);
      else
        resolve({ data: data?.toString('utf8') ?? '', ephemeralOwner: stat.ephemeralOwner.toString('hex') });
    });
  });

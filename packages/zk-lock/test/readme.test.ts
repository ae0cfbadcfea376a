import { startTcpProxy, waitFor, type TcpProxy } from '@zk-lock/testkit';
import { describe, expect, it, onTestFinished } from 'vitest';
import zookeeper from '@zk-lock/node-zookeeper-client';
import { ZookeeperLock } from 'zk-lock';
import { configFor, lockNodes, useZooKeeper } from './support/zookeeper.js';

/* eslint-disable no-var -- the snippets are quoted verbatim, 2.x-era `var` included */
/*
 * Every usage snippet of the zk-lock 2.x README, verbatim (`var`, `function`, `.then`), with only
 * its `... do stuff` placeholder lines replaced by a call that reports back to the test.
 */

const server = useZooKeeper();

/**
 * Ends a ZooKeeper session from outside, as the server does when it expires it: a second client
 * takes the session over with its id and password and closes it. The lock's own connection runs
 * through `proxy`, held silent meanwhile: had its client reconnected in between, it would have taken
 * the session back and the close would never have reached the server. Once the session's node is
 * gone, the lock's connection is cut; its reconnect learns that the session expired.
 */
const expireSession = async (client: zookeeper.Client, proxy: TcpProxy, lockPath: string): Promise<void> => {
  proxy.blackhole();
  // node-zookeeper-client supports these options; its type declarations omit them.
  const options = { sessionId: client.getSessionId(), sessionPassword: client.getSessionPassword() };
  const thief = zookeeper.createClient(server().zk.connectString, options as object);
  await new Promise<void>((resolve) => {
    thief.once('connected', () => {
      thief.once('disconnected', () => resolve());
      thief.close();
    });
    thief.connect();
  });
  await waitFor(async () => (await lockNodes(server().observer, lockPath)).length === 0, {
    message: `the expired session's node under ${lockPath} is gone`,
  });
  proxy.restore();
  proxy.cutAll();
};

describe('the zk-lock 2.x README snippets run unchanged', () => {
  it('var lock = new ZookeeperLock(config);', async () => {
    const config = configFor(server());

    var lock = new ZookeeperLock(config);

    expect(lock).toBeInstanceOf(ZookeeperLock);
    await lock.lock('constructed');
    expect(lock.state).toBe(ZookeeperLock.States.LOCKED);
    await lock.unlock();
  });

  it('ZookeeperLock.initialize(config); then var lock = ZookeeperLock.lockFactory();', async () => {
    const config = configFor(server());

    ZookeeperLock.initialize(config);
    var lock = ZookeeperLock.lockFactory();

    expect(lock).toBeInstanceOf(ZookeeperLock);
    await lock.lock('factory');
    expect(lock.path).toBe(`/locks/${config.pathPrefix}/factory`);
    await lock.unlock();
  });

  it("ZookeeperLock.lock('key').then(function (lock) { ... });", async () => {
    const config = configFor(server());
    ZookeeperLock.initialize(config);
    const done = new Promise<ZookeeperLock>((report) => {
      ZookeeperLock.lock('key').then(function (lock) {
        report(lock); // ... do stuff
      });
    });

    const lock = await done;
    expect(lock.state).toBe(ZookeeperLock.States.LOCKED);
    expect(await lockNodes(server().observer, `/locks/${config.pathPrefix}/key`)).toEqual([lock.key]);
    await lock.unlock();
  });

  it("var lock = ZookeeperLock.lockFactory(); lock.lock('key').then(function() { ... });", async () => {
    ZookeeperLock.initialize(configFor(server()));
    const done = new Promise<ZookeeperLock>((report) => {
      var lock = ZookeeperLock.lockFactory();
      lock.lock('key').then(function () {
        report(lock); // ... do stuff
      });
    });

    const lock = await done;
    expect(lock.state).toBe(ZookeeperLock.States.LOCKED);
    await lock.unlock();
  });

  it('lock, do stuff, then lock.unlock().then(function () { ... }): unlock releases the key and the connection', async () => {
    const config = configFor(server());
    ZookeeperLock.initialize(config);
    const done = new Promise<ZookeeperLock>((report) => {
      var lock = ZookeeperLock.lockFactory();
      lock.lock('key').then(function () {
        // ... do stuff
        lock.unlock().then(function () {
          report(lock); // ...
        });
      });
    });

    const lock = await done;
    expect(lock.state).toBe(ZookeeperLock.States.DESTROYED);
    expect(lock.client).toBeNull();
    expect(await lockNodes(server().observer, `/locks/${config.pathPrefix}/key`)).toEqual([]);
  });

  it("lock.on('lost', function () { ... }) fires when the session expires", async () => {
    const proxy = await startTcpProxy({ target: server().zk.connectString });
    onTestFinished(() => proxy.close());
    ZookeeperLock.initialize(configFor(server(), { serverLocator: proxy.address }));
    let lostHandled: (lock: ZookeeperLock) => void = () => undefined;
    const lost = new Promise<ZookeeperLock>((resolve) => {
      lostHandled = resolve;
    });
    const held = new Promise<ZookeeperLock>((report) => {
      var lock = ZookeeperLock.lockFactory();
      lock.lock('key').then(function () {
        lock.on('lost', function () {
          lostHandled(lock); // ... handle losing the lock, i.e. restart locking cycle.
        });
        report(lock);
      });
    });

    const lock = await held;
    await expireSession(lock.client as zookeeper.Client, proxy, lock.path as string);

    await expect(lost).resolves.toBe(lock);
    expect(lock.state).toBe(ZookeeperLock.States.LOST);
    expect(lock.signal).toBe(lock);
  });
});

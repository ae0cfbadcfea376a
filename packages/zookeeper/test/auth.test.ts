import { connectRaw, startZooKeeper, type ZooKeeper } from '@zk-lock/testkit';
import { SessionPool, createLockPort, type LockPortOptions, type ZkLockPort } from '@zk-lock/zookeeper';
import type zookeeper from '@zk-lock/node-zookeeper-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leftOf, rightOf } from './support/expect-either.js';

let zk: ZooKeeper;
let stranger: zookeeper.Client;
const pool = new SessionPool();
const alice = [{ scheme: 'digest', id: 'alice:secret' }] as const;

const connected = async (options: Partial<LockPortOptions>): Promise<ZkLockPort> => {
  const port = createLockPort({ serverLocator: zk.connectString, pool, ...options });
  rightOf(await port.connect()());
  return port;
};

/** A raw client call's error code, or 0 on success. */
const codeOf = (call: (done: (error: Error | zookeeper.Exception | null) => void) => void): Promise<number> =>
  new Promise((resolve) => call((error) => resolve((error as zookeeper.Exception | null)?.code ?? 0)));

const NO_AUTH = -102;

beforeAll(async () => {
  zk = await startZooKeeper();
  stranger = await connectRaw(zk.connectString);
});

afterAll(async () => {
  stranger?.close();
  await pool.close();
  await zk?.close();
});

describe("auth and acl: 'creator'", () => {
  it('keeps a held lock node from anyone without the credentials (read, delete, list)', async () => {
    const port = await connected({ auth: alice, acl: 'creator' });
    rightOf(await port.createParents('/locks/secure/key')());
    const node = `/locks/secure/key/${rightOf(await port.createSequential('/locks/secure/key', 'lock-', 'mine')())}`;
    expect(await codeOf((done) => stranger.getData(node, done))).toBe(NO_AUTH);
    expect(await codeOf((done) => stranger.remove(node, done))).toBe(NO_AUTH);
    expect(await codeOf((done) => stranger.getChildren('/locks/secure/key', done))).toBe(NO_AUTH);
    // The shared ancestors stay open, so other users can still lock their own keys.
    expect(await codeOf((done) => stranger.getChildren('/locks/secure', done))).toBe(0);
    expect(await codeOf((done) => stranger.create('/locks/secure/other', done))).toBe(0);
    // Whoever has the same credentials (here another session of the same user) gets in.
    const colleague = await connected({ auth: alice, acl: 'creator', connectionPerLock: true });
    expect(rightOf(await colleague.listChildrenWithOwners('/locks/secure/key')())).toEqual([
      { name: node.split('/').pop(), data: 'mine', ephemeralOwner: port.session()?.sessionId },
    ]);
    rightOf(await colleague.remove(node)());
    await Promise.all([port.disconnect(), colleague.disconnect()]);
  });

  it('gives wrong credentials a typed NO_AUTH, not a hang', async () => {
    const port = await connected({ auth: alice, acl: 'creator' });
    rightOf(await port.createParents('/locks/secure/wrong')());
    const node = `/locks/secure/wrong/${rightOf(await port.createSequential('/locks/secure/wrong', 'lock-', '')())}`;
    const intruder = await connected({ auth: [{ scheme: 'digest', id: 'alice:guess' }], acl: 'creator' });
    expect(leftOf(await intruder.listChildren('/locks/secure/wrong')())).toMatchObject({
      code: 'NO_AUTH',
      path: '/locks/secure/wrong',
    });
    expect(leftOf(await intruder.remove(node)())).toMatchObject({ code: 'NO_AUTH', path: node });
    expect(leftOf(await intruder.createSequential('/locks/secure/wrong', 'lock-', '')())).toMatchObject({
      code: 'NO_AUTH',
    });
    await Promise.all([port.disconnect(), intruder.disconnect()]);
  });

  it('surfaces an auth failure of the server as a typed AUTH_FAILED, not a hang', async () => {
    const pooled = pool.size; // the earlier tests' sessions, lingering
    const port = createLockPort({
      serverLocator: zk.connectString,
      pool,
      auth: [{ scheme: 'nosuch', id: 'x' }],
    });
    expect(leftOf(await port.connect()())).toMatchObject({
      code: 'AUTH_FAILED',
      message: expect.stringContaining('nosuch'),
    });
    expect(pool.size).toBe(pooled);
  });

  it("refuses 'creator' without credentials before reaching the server", async () => {
    const pooled = pool.size;
    const port = createLockPort({ serverLocator: zk.connectString, pool, acl: 'creator' });
    expect(leftOf(await port.connect()())).toMatchObject({
      code: 'BAD_ARGUMENTS',
      message: expect.stringMatching(/^acl: /),
    });
    expect(pool.size).toBe(pooled);
  });
});

describe("acl: 'open'", () => {
  it('leaves lock nodes readable and deletable by anyone, as 2.x did', async () => {
    const port = await connected({ auth: alice });
    rightOf(await port.createParents('/locks/open/key')());
    const node = `/locks/open/key/${rightOf(await port.createSequential('/locks/open/key', 'lock-', 'x')())}`;
    expect(await codeOf((done) => stranger.getData(node, done))).toBe(0);
    expect(await codeOf((done) => stranger.remove(node, done))).toBe(0);
    await port.disconnect();
  });
});

import { fileURLToPath } from 'node:url';
import { startZooKeeper, type ZooKeeper, type ZooKeeperMember } from '@zk-lock/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killChildren, startChild } from './support/child.js';
import { forkDir, stockDir } from './support/clients.js';

/**
 * CHANGELOG "Double reconnect crash": with a `disconnected` listener that calls `connect()` (as
 * zk-lock 2.x did), stopping the server made 1.1.3 schedule two reconnects; the second called
 * net.connect(undefined), which threw ERR_MISSING_ARGS from a timer and killed the process.
 */

const script = fileURLToPath(new URL('./fixtures/reconnect-on-disconnect.mjs', import.meta.url));
let zk: ZooKeeper;
let member: ZooKeeperMember;

beforeAll(async () => {
  zk = await startZooKeeper();
  member = zk.members[0] as ZooKeeperMember;
});

afterAll(async () => {
  killChildren();
  await zk?.close();
});

describe('a server stopped and started under a client that reconnects on `disconnected`', () => {
  it('kills a process on stock 1.1.3 (ERR_MISSING_ARGS from a timer)', async () => {
    const child = startChild(script, [stockDir, zk.connectString]);
    await child.line('connected');
    await member.stop();
    try {
      const { code, stderr } = await child.exited;
      expect(code).not.toBe(0);
      expect(stderr).toContain('ERR_MISSING_ARGS');
    } finally {
      await member.start();
    }
  });

  it('is survived by the fork, which reconnects', async () => {
    const child = startChild(script, [forkDir, zk.connectString]);
    await child.line('connected');
    await member.stop();
    await member.start();
    await child.line('reconnected');
    child.process.kill('SIGTERM');
    expect((await child.exited).stderr).toBe('');
  });
});

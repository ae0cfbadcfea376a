import { fileURLToPath } from 'node:url';
import { startTcpProxy, startZooKeeper, type TcpProxy, type ZooKeeper } from '@zk-lock/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killChildren, startChild } from './support/child.js';
import { fork, forkDir, stockDir } from './support/clients.js';

/**
 * CHANGELOG "Unknown error codes": a reply with an error code 1.1.3 has no name for (newer servers
 * send THROTTLED_OP -127, ...) threw from the socket's data handler and killed the process. The
 * testkit's proxy rewrites one `exists` reply of a real server to carry that code.
 */

const script = fileURLToPath(new URL('./fixtures/exists-twice.mjs', import.meta.url));
const EXISTS = 3;
const THROTTLED_OP = -127;
let zk: ZooKeeper;
let proxy: TcpProxy;

beforeAll(async () => {
  zk = await startZooKeeper();
  proxy = await startTcpProxy({ target: zk.connectString });
});

afterAll(async () => {
  killChildren();
  await proxy?.close();
  await zk?.close();
});

describe('a reply with an error code the client has no name for', () => {
  it('kills a process on stock 1.1.3 (thrown from the socket handler)', async () => {
    const rewritten = proxy.failNextReply(EXISTS, THROTTLED_OP);
    const child = startChild(script, [stockDir, proxy.address]);
    await rewritten;
    const { code, stderr } = await child.exited;
    expect(code).not.toBe(0);
    expect(stderr).toContain('Unknown code: -127');
  });

  it('fails that request alone with an UNKNOWN exception carrying the code, on the fork', async () => {
    const rewritten = proxy.failNextReply(EXISTS, THROTTLED_OP);
    const child = startChild(script, [forkDir, proxy.address]);
    await child.line(
      JSON.stringify({ error: { name: 'UNKNOWN', code: THROTTLED_OP, message: 'Exception: UNKNOWN[-127]' } }),
    );
    await child.line(JSON.stringify({ exists: true }));
    await rewritten;
    expect(await child.exited).toEqual({ code: 0, stderr: '' });
  });

  it('Exception.create names known codes and makes the others UNKNOWN, with the path', () => {
    const unknown = fork.Exception.create(THROTTLED_OP, '/x');
    expect(unknown).toBeInstanceOf(fork.Exception);
    expect(unknown).toMatchObject({ code: THROTTLED_OP, name: 'UNKNOWN', path: '/x' });
    expect(unknown.message).toBe('Exception: UNKNOWN[-127]@/x');
    expect(fork.Exception.create(fork.Exception.NO_NODE)).toMatchObject({ code: -101, name: 'NO_NODE' });
    expect(() => fork.Exception.create('-127' as unknown as number)).toThrow('code must be a number.');
  });
});

import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startZooKeeper, type ZooKeeper, type ZooKeeperMember } from '@zk-lock/testkit';
import { SessionPool, type SessionLease } from '@zk-lock/zookeeper';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rightOf } from './support/expect-either.js';
import { recordEvents } from './support/zookeeper.js';

/**
 * node-zookeeper-client 1.1.3 could schedule two reconnects when the server went away; the second
 * called net.connect(undefined), which threw ERR_MISSING_ARGS from a timer and killed the process.
 * Fixed by patches/node-zookeeper-client@1.1.3.patch (this workspace) and, for installs without
 * the patch, by the adapter's runtime guard. See packages/zookeeper/README.md.
 */

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const patchFile = join(repoRoot, 'patches/node-zookeeper-client@1.1.3.patch');
const guardModule = fileURLToPath(new URL('../src/client-internals.ts', import.meta.url));
const childScript = fileURLToPath(new URL('./fixtures/reconnect-on-disconnect.mts', import.meta.url));

let zk: ZooKeeper;
let member: ZooKeeperMember;
let scratch: string;
/** An unpatched copy of node-zookeeper-client 1.1.3 (the patch reversed), and where its deps live. */
let unpatched: { dir: string; nodePath: string };
const children: ChildProcess[] = [];

interface Child {
  readonly process: ChildProcess;
  readonly line: (text: string) => Promise<void>;
  readonly exited: Promise<{ code: number | null; stderr: string }>;
}

const startChild = (env: Record<string, string>): Child => {
  const child = spawn(process.execPath, ['--import', 'tsx', childScript, zk.connectString], {
    cwd: repoRoot,
    env: { ...process.env, NODE_PATH: unpatched.nodePath, ZK_CLIENT_DIR: unpatched.dir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const lines: string[] = [];
  const waiters: Array<{ text: string; resolve: () => void }> = [];
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (text) => {
    lines.push(text);
    for (const waiter of waiters.filter((w) => w.text === text)) waiter.resolve();
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.once('exit', (code) => resolve({ code, stderr })),
  );
  const printed = (text: string): Promise<void> =>
    lines.includes(text) ? Promise.resolve() : new Promise((resolve) => waiters.push({ text, resolve }));
  return {
    process: child,
    // A child that dies first fails the wait instead of leaving it hanging.
    line: (text) =>
      Promise.race([
        printed(text),
        exited.then(({ code, stderr }) =>
          Promise.reject(new Error(`the child exited (${code}) before printing ${text}: ${stderr}`)),
        ),
      ]),
    exited,
  };
};

beforeAll(async () => {
  zk = await startZooKeeper();
  member = zk.members[0] as ZooKeeperMember;
  const installed = realpathSync(
    dirname(createRequire(import.meta.url).resolve('node-zookeeper-client/package.json')),
  );
  scratch = mkdtempSync(join(tmpdir(), 'zk-lock-unpatched-'));
  const dir = join(scratch, 'node-zookeeper-client');
  cpSync(installed, dir, { recursive: true });
  execFileSync('git', ['apply', '-R', patchFile], { cwd: dir });
  unpatched = { dir, nodePath: dirname(installed) };
});

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  await zk?.close();
});

describe('the reconnect crash of node-zookeeper-client 1.1.3', () => {
  it('reproduces with the unpatched client: the process dies with ERR_MISSING_ARGS when the server stops', async () => {
    expect(readFileSync(join(unpatched.dir, 'lib/ConnectionManager.js'), 'utf8')).not.toContain(
      'zk-lock patch',
    );
    const child = startChild({});
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

  it('the runtime guards alone keep an unpatched client alive, and it reconnects', async () => {
    const child = startChild({ GUARD_MODULE: guardModule });
    await child.line('connected');
    await member.stop();
    await member.start();
    await child.line('reconnected');
    child.process.kill('SIGTERM');
  });

  it('a live session of this workspace survives a stop and restart of its server, even with 2.x’s reconnect-on-disconnect', async () => {
    const pool = new SessionPool();
    const lease: SessionLease = rightOf(
      await pool.lease({ serverLocator: zk.connectString, sessionTimeout: 20_000 })(),
    );
    const { client } = lease.session;
    const events = recordEvents(lease.session);
    const reconnectLike2x = (): void => client.connect();
    client.on('disconnected', reconnectLike2x);
    await member.stop();
    await events.first('suspended');
    await member.start();
    await Promise.race([events.first('reconnected'), events.first('lost')]);
    expect(events.types()).toEqual(['suspended', 'reconnected']);
    rightOf(await lease.session.exists('/')());
    client.removeListener('disconnected', reconnectLike2x);
    await lease.release();
  });
});

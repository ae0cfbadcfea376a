import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import zookeeper from 'node-zookeeper-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardErrorCodes, guardSocketData } from '../src/client-internals.js';

/**
 * Two fixes of node-zookeeper-client 1.1.3's reply parsing, each by patches/node-zookeeper-client@1.1.3.patch
 * and by a runtime guard for installs without it: replies are read by walking each socket chunk
 * (the stock client copied the rest of the chunk after every reply), and an error code the client
 * does not know no longer throws from the socket handler. Driven without a server: replies are
 * handed to the client's ConnectionManager as socket chunks.
 */

type Zookeeper = typeof zookeeper;
/** The untyped factory the client's reply handler calls. */
const createException = (zk: Zookeeper, code: number, path?: string): unknown =>
  (zk.Exception as unknown as { create: (code: number, path?: string) => unknown }).create(code, path);
interface Manager {
  state: number;
  socket: { destroy(): void; destroyed: boolean };
  pendingQueue: unknown[];
  onSocketData(chunk: Buffer): void;
}

const CONNECTED = 2; // lib/ConnectionManager.js STATES.CONNECTED
const EXISTS = 3; // jute OP_CODES.EXISTS
const NO_NODE = -101;
const THROTTLED_OP = -127;

/** A reply without payload: length, xid, zxid, error code. */
const reply = (xid: number, err: number): Buffer => {
  const frame = Buffer.alloc(20);
  frame.writeInt32BE(16, 0);
  frame.writeInt32BE(xid, 4);
  frame.writeInt32BE(err, 16);
  return frame;
};

/** A client that believes it is connected, with `count` exists requests in flight; returns what they got. */
const inFlight = (zk: Zookeeper, count: number, guard: boolean) => {
  const client = zk.createClient('127.0.0.1:1');
  if (guard) guardSocketData(client);
  const manager = (client as unknown as { connectionManager: Manager }).connectionManager;
  manager.state = CONNECTED;
  manager.socket = { destroy: () => (manager.socket.destroyed = true), destroyed: false };
  const codes: number[] = [];
  for (let xid = 0; xid < count; xid++)
    manager.pendingQueue.push({
      request: { header: { xid, type: EXISTS } },
      callback: (error: { code: number } | null) => codes.push(error?.code ?? 0),
    });
  return { manager, codes };
};

/** 2000 replies in one stream, cut into chunks of awkward sizes (mid-length, mid-reply, many per chunk). */
const deliver = (manager: Manager, replies: Buffer): void => {
  const sizes = [1, 3, 7, 40, 4096, 13, 65_536];
  for (let start = 0, turn = 0; start < replies.length; turn++) {
    const end = Math.min(replies.length, start + (sizes[turn % sizes.length] as number));
    manager.onSocketData(replies.subarray(start, end));
    start = end;
  }
};

const expectedCodes = Array.from({ length: 2000 }, (_, xid) => (xid === 1234 ? THROTTLED_OP : NO_NODE));
const stream = Buffer.concat(expectedCodes.map((code, xid) => reply(xid, code)));

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
let scratch: string;
/** node-zookeeper-client 1.1.3 as published: this workspace's patch reversed. */
let stock: Zookeeper;

beforeAll(() => {
  const installed = realpathSync(
    dirname(createRequire(import.meta.url).resolve('node-zookeeper-client/package.json')),
  );
  scratch = mkdtempSync(join(tmpdir(), 'zk-lock-stock-client-'));
  const modules = join(scratch, 'node_modules');
  mkdirSync(modules);
  for (const dependency of readdirSync(dirname(installed)))
    if (dependency !== 'node-zookeeper-client')
      symlinkSync(join(dirname(installed), dependency), join(modules, dependency));
  const copy = join(modules, 'node-zookeeper-client');
  cpSync(installed, copy, { recursive: true });
  execFileSync('git', ['apply', '-R', join(repoRoot, 'patches/node-zookeeper-client@1.1.3.patch')], {
    cwd: copy,
  });
  stock = createRequire(join(scratch, 'index.js'))('node-zookeeper-client') as Zookeeper;
});

afterAll(() => {
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
});

describe('node-zookeeper-client reply parsing', () => {
  it('the stock client throws from the socket handler on an unknown error code (the crash)', () => {
    const { manager } = inFlight(stock, 1, false);
    expect(() => manager.onSocketData(reply(0, THROTTLED_OP))).toThrow('Unknown code: -127');
  });

  it('patched: 2000 replies in awkward chunks each reach their own request; an unknown code is an UNKNOWN exception', () => {
    const { manager, codes } = inFlight(zookeeper, 2000, false);
    deliver(manager, stream);
    expect(codes).toEqual(expectedCodes);
    expect(createException(zookeeper, THROTTLED_OP, '/x')).toMatchObject({
      code: THROTTLED_OP,
      name: 'UNKNOWN',
      message: 'Exception: UNKNOWN[-127]@/x',
    });
  });

  it('the runtime guards alone do the same for the stock client', () => {
    guardErrorCodes(stock.Exception);
    guardErrorCodes(stock.Exception); // once per module, however often called
    const { manager, codes } = inFlight(stock, 2000, true);
    deliver(manager, stream);
    expect(codes).toEqual(expectedCodes);
    expect(createException(stock, THROTTLED_OP)).toBeInstanceOf(stock.Exception);
    expect(createException(stock, NO_NODE)).toMatchObject({ code: NO_NODE, name: 'NO_NODE' });
  });

  it('a negative reply length drops the connection instead of looping', () => {
    for (const [zk, guard] of [
      [zookeeper, false],
      [stock, true],
    ] as const) {
      const { manager, codes } = inFlight(zk, 1, guard);
      const bad = Buffer.alloc(8);
      bad.writeInt32BE(-4, 0);
      manager.onSocketData(bad);
      expect(manager.socket.destroyed).toBe(true);
      expect(codes).toEqual([]);
    }
  });
});

import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { connectRaw, startZooKeeper, type ZooKeeper } from '@zk-lock/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childrenOf } from './zk.js';

// Every file of examples/ runs here against a real server, as a user would run it (tsx, with
// 'zk-lock' resolved to the sources through the repository's tsconfig).
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const examplesDir = fileURLToPath(new URL('../../../../examples/', import.meta.url));

/** What each example must print (lines, in this order, among others). */
const expectedOutput: Readonly<Record<string, readonly (string | RegExp)[]>> = {
  'basic.ts': [
    /^holding \/locks\/examples\/basic\/lock-\d{10} with fencing token \d+$/,
    'a second locker timed out while the lock was held',
    'a third locker was aborted while waiting',
    'released at the end of the block',
    'inside withLock, lost: false',
    'withLock returned 42',
  ],
  'run-once.ts': [
    'machine-a: generating the report',
    'machine-b: the report is already being generated elsewhere; skipped',
    'machine-c: the report is already being generated elsewhere; skipped',
    'machine-b: generating the report',
  ],
  'semaphore.ts': [/^w\d transcoding \([12] at once\)$/, /^at most [12] at once$/],
  'read-write.ts': [
    'readers A and B hold the catalog together',
    'queue: read:holder read:holder lock:waiter read:waiter',
    'reader A released; the writer still waits for reader B',
    'writer holds the catalog alone',
    'reader C holds the catalog after the writer',
  ],
  'fencing-token.ts': [
    'holder 1 wrote: true',
    'holder 2 token is larger: true',
    'holder 2 wrote: true',
    'holder 1 late write accepted: false',
    'value: balance=80',
  ],
  'election.ts': [
    /^scheduler-a leads with fencing token \d+$/,
    'leader(): scheduler-a.internal:8080',
    /^observed: scheduler-a\.internal:8080 leads \(token \d+\)$/,
    /^observed: scheduler-a\.internal:9090 leads \(token \d+\)$/,
    'scheduler-b leads after scheduler-a resigned; token larger: true',
    /^observed: scheduler-b\.internal:8080 leads \(token \d+\)$/,
    'scheduler-c leads',
    /^observed: scheduler-c\.internal:8080 leads \(token \d+\)$/,
    'observed: nobody leads',
  ],
  'observe.ts': [
    /^\[apm\] acquired observed after \d+\.\d ms$/,
    /^holder lock-\d{10} held by pid \d+ \(this process\); token \d+$/,
    /^\[apm\] released observed after holding it \d+\.\d ms$/,
  ],
};

const examples = readdirSync(examplesDir).filter((name) => name.endsWith('.ts'));

let zk: ZooKeeper;
beforeAll(async () => {
  zk = await startZooKeeper();
});
afterAll(async () => {
  await zk?.close();
});

describe('examples/', () => {
  it('has an expectation for every example', () => {
    expect(examples.sort()).toEqual(Object.keys(expectedOutput).sort());
  });

  it.each(examples)('%s runs to completion and leaves no lock node', async (example) => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', `${examplesDir}${example}`],
      {
        cwd: repoRoot,
        env: { ...process.env, ZK_LOCK_CONNECT: zk.connectString },
      },
    );
    const lines = stdout.trimEnd().split('\n');
    let from = 0;
    for (const expected of expectedOutput[example] ?? []) {
      const found = lines.findIndex(
        (line, index) =>
          index >= from && (typeof expected === 'string' ? line === expected : expected.test(line)),
      );
      expect(
        found,
        `${example} should print ${String(expected)} after line ${from}:\n${stdout}`,
      ).toBeGreaterThanOrEqual(0);
      from = found + 1;
    }
    const raw = await connectRaw(zk.connectString);
    try {
      for (const key of await childrenOf(raw, '/locks/examples'))
        expect(await childrenOf(raw, `/locks/examples/${key}`)).toEqual([]);
    } finally {
      raw.close();
    }
  });
});

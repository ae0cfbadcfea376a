import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { freshPrefix, useZooKeeper } from './support/zookeeper.js';

const server = useZooKeeper();
const repo = fileURLToPath(new URL('../../..', import.meta.url));
const child = fileURLToPath(new URL('./support/trace-log-child.ts', import.meta.url));

describe('enableTraceLog', () => {
  it('reports a long-held lock and a lock left waiting on the NODE_DEBUG=zk-lock log', async () => {
    const prefix = freshPrefix();
    // util.debuglog reads NODE_DEBUG when first used, so the traced locks run in their own process.
    const { stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', child, server().zk.connectString, prefix],
      { cwd: repo, env: { ...process.env, NODE_DEBUG: 'zk-lock' }, timeout: 30_000 },
    );

    expect(stderr).toMatch(
      new RegExp(`long held lock \\([\\d.]+ sec\\) detected /locks/${prefix}/traced/lock-\\d{10}`),
    );
    expect(stderr).toMatch(
      new RegExp(
        `potential leak detected, connection is open, but in state LOCKING for [\\d.]+ sec on /locks/${prefix}/traced`,
      ),
    );
  });
});

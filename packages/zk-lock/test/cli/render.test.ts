import { describe, expect, it } from 'vitest';
import { waitingLine } from '../../src/cli/indicator.js';
import { leaderJson, renderLeader } from '../../src/cli/leader.js';
import { contendersJson, renderContenders } from '../../src/cli/status.js';
import { renderTable } from '../../src/cli/table.js';
import type { Contender } from '../../src/modern/contenders.js';
import type { Leader } from '../../src/modern/index.js';

const holder: Contender = {
  role: 'holder',
  node: 'lock-0000000007',
  kind: 'lock',
  sequence: 7,
  czxid: 0x1a2bn,
  owner: { hostname: 'box', pid: 42, lockId: 'id-1', createdAt: Date.UTC(2026, 0, 2, 3, 4, 5) },
};
const legacyWaiter: Contender = {
  role: 'waiter',
  node: 'lock-0000000008',
  kind: 'lock',
  sequence: 8,
  czxid: 0x1a2cn,
  owner: undefined,
};

describe('status output', () => {
  it('pads columns to the widest cell without trailing blanks', () => {
    expect(
      renderTable(
        ['A', 'LONG'],
        [
          ['xyz', '1'],
          ['p', ''],
        ],
      ).split('\n'),
    ).toEqual(['A    LONG', 'xyz  1', 'p']);
  });

  it('lists holders and waiters with their owners, a 2.x node as unknown', () => {
    const lines = renderContenders('/locks/k', [holder, legacyWaiter]).split('\n');
    expect(lines[0]).toBe('/locks/k: 1 holding, 1 waiting');
    expect(lines[1]).toMatch(/^ROLE\s+NODE\s+SEQ\s+CZXID\s+OWNER\s+LOCK ID\s+CREATED$/);
    expect(lines[2]).toMatch(
      /^holder\s+lock-0000000007\s+7\s+0x1a2b\s+box pid 42\s+id-1\s+2026-01-02T03:04:05.000Z$/,
    );
    expect(lines[3]).toMatch(
      /^waiter\s+lock-0000000008\s+8\s+0x1a2c\s+unknown \(zk-lock 2.x or foreign\)\s+-\s+-$/,
    );
  });

  it('says when a lock is free', () => {
    expect(renderContenders('/locks/k', [])).toBe('/locks/k: free (no holders, no waiters)');
  });

  it('gives scripts JSON with decimal czxids, ISO times and null for an unknown owner', () => {
    expect(JSON.parse(contendersJson('k', '/locks/k', [holder, legacyWaiter]))).toEqual({
      key: 'k',
      path: '/locks/k',
      contenders: [
        {
          role: 'holder',
          node: 'lock-0000000007',
          kind: 'lock',
          sequence: 7,
          czxid: String(0x1a2b),
          owner: { hostname: 'box', pid: 42, lockId: 'id-1', createdAt: '2026-01-02T03:04:05.000Z' },
        },
        {
          role: 'waiter',
          node: 'lock-0000000008',
          kind: 'lock',
          sequence: 8,
          czxid: String(0x1a2c),
          owner: null,
        },
      ],
    });
  });
});

describe('waiting indicator', () => {
  it('shows the key and the seconds waited', () => {
    expect(waitingLine('jobs', 12_345, 0)).toBe("⠋ waiting for lock 'jobs' … 12.3s");
    expect(waitingLine('jobs', 0, 11)).toBe("⠙ waiting for lock 'jobs' … 0.0s");
    expect(waitingLine('sched', 1_000, 1, 'leadership')).toBe("⠙ waiting to lead 'sched' … 1.0s");
  });
});

describe('leader output', () => {
  const leader: Leader = {
    key: 'sched',
    node: 'lock-0000000003',
    path: '/locks/sched/lock-0000000003',
    sequence: 3,
    fencingToken: 0x1a2b00000003n,
    value: '10.0.0.7:8080',
    owner: {
      hostname: 'box',
      pid: 42,
      lockId: 'id-1',
      createdAt: Date.UTC(2026, 0, 2, 3, 4, 5),
      value: '10.0.0.7:8080',
    },
  };

  it('says who leads, with its value, owner and token, or that nobody does', () => {
    expect(renderLeader('/locks/sched', leader)).toBe(
      `/locks/sched: lock-0000000003 leads, value "10.0.0.7:8080" (box pid 42, token ${0x1a2b00000003n})`,
    );
    expect(renderLeader('/locks/sched', { ...leader, value: undefined, owner: undefined })).toBe(
      `/locks/sched: lock-0000000003 leads, value - (unknown owner (zk-lock 2.x or foreign), token ${0x1a2b00000003n})`,
    );
    expect(renderLeader('/locks/sched', undefined)).toBe('/locks/sched: no leader');
  });

  it('prints JSON with the token as a decimal string and nobody as null', () => {
    expect(JSON.parse(leaderJson('sched', '/locks/sched', leader))).toEqual({
      key: 'sched',
      path: '/locks/sched',
      leader: {
        node: 'lock-0000000003',
        sequence: 3,
        fencingToken: String(0x1a2b00000003n),
        value: '10.0.0.7:8080',
        owner: { hostname: 'box', pid: 42, lockId: 'id-1', createdAt: '2026-01-02T03:04:05.000Z' },
      },
    });
    expect(JSON.parse(leaderJson('sched', '/locks/sched', undefined))).toEqual({
      key: 'sched',
      path: '/locks/sched',
      leader: null,
    });
  });
});

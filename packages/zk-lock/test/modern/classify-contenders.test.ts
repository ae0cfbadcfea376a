import { encodeOwnerData } from '@zk-lock/core';
import { describe, expect, it } from 'vitest';
import { classifyContenders, type LockNode } from '../../src/modern/contenders.js';

const owner = { lockId: 'id', hostname: 'h', pid: 1, createdAt: 5 };
const node = (name: string, czxid: number, data = encodeOwnerData(owner)): LockNode => ({
  name,
  data,
  czxid: BigInt(czxid),
});
const roles = (nodes: LockNode[], maxHolders = 1) =>
  classifyContenders(nodes, maxHolders).map((c) => `${c.node}:${c.role}`);

describe('classifyContenders', () => {
  it('orders by sequence, not by string, and ignores foreign children', () => {
    expect(roles([node('lock-0000000010', 3), node('junk', 9), node('lock-0000000002', 1)])).toEqual([
      'lock-0000000002:holder',
      'lock-0000000010:waiter',
    ]);
  });

  it('gives a semaphore as many holders as slots', () => {
    const nodes = [node('lock-0000000001', 1), node('lock-0000000002', 2), node('lock-0000000003', 3)];
    expect(roles(nodes, 2)).toEqual([
      'lock-0000000001:holder',
      'lock-0000000002:holder',
      'lock-0000000003:waiter',
    ]);
  });

  it('applies the read/write rule when readers are present', () => {
    const nodes = [
      node('read-0000000001', 1),
      node('read-0000000002', 2),
      node('lock-0000000003', 3),
      node('read-0000000004', 4),
    ];
    expect(roles(nodes)).toEqual([
      'read-0000000001:holder',
      'read-0000000002:holder',
      'lock-0000000003:waiter',
      'read-0000000004:waiter',
    ]);
  });

  it('decodes owner data; a 2.x node (data "lock") has an unknown owner', () => {
    const [mine, legacy] = classifyContenders(
      [node('lock-0000000001', 7), node('lock-0000000002', 8, 'lock')],
      1,
    );
    expect(mine).toEqual({
      role: 'holder',
      node: 'lock-0000000001',
      kind: 'lock',
      sequence: 1,
      czxid: 7n,
      owner,
    });
    expect(legacy?.owner).toBeUndefined();
  });
});

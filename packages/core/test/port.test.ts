import { describe, expect, it } from 'vitest';
import { asZkFailure, zkFailure } from '@zk-lock/core';

describe('asZkFailure', () => {
  it('keeps a ZkFailure as it is', () => {
    const failure = zkFailure('NO_NODE', 'gone', '/locks/a');
    expect(asZkFailure(failure)).toBe(failure);
  });

  it('turns whatever a port threw into an UNKNOWN failure with its message', () => {
    expect(asZkFailure(new Error('socket exploded'))).toEqual(zkFailure('UNKNOWN', 'socket exploded'));
    expect(asZkFailure('just a string')).toEqual(zkFailure('UNKNOWN', 'just a string'));
    expect(asZkFailure({ _tag: 'Other' }).code).toBe('UNKNOWN');
  });
});

import { describe, expect, it } from 'vitest';
import {
  ZookeeperLockAlreadyLockedError,
  ZookeeperLockArgumentError,
  ZookeeperLockConfigError,
  ZookeeperLockLostError,
  ZookeeperLockTimeoutError,
  ZookeeperLockZooKeeperError,
} from 'zk-lock';
import { ExitCode } from '../../src/cli/exit-codes.js';
import { describeFailure } from '../../src/cli/failure.js';

describe('how lock failures end the CLI', () => {
  it.each([
    [
      new ZookeeperLockTimeoutError('timeout', '/locks/k', 500),
      ExitCode.TIMEOUT,
      "timed out after 500 ms waiting for lock 'k'",
    ],
    [
      new ZookeeperLockAlreadyLockedError('already locked', '/locks/k'),
      ExitCode.ALREADY_LOCKED,
      "lock 'k' is already held (--fail-immediate)",
    ],
    [new ZookeeperLockArgumentError('key', 'key: bad'), ExitCode.USAGE, 'key: bad'],
    [new ZookeeperLockConfigError('connect', 'connect: bad'), ExitCode.USAGE, 'connect: bad'],
    [
      new ZookeeperLockLostError('gone', '/locks/k'),
      ExitCode.LOST,
      "lost the ZooKeeper session while waiting for lock 'k'",
    ],
    [
      new ZookeeperLockZooKeeperError('create failed: NO_AUTH', 'NO_AUTH'),
      ExitCode.FAILURE,
      'create failed: NO_AUTH',
    ],
    ['a string', ExitCode.FAILURE, 'a string'],
  ])('%s → %i', (error, code, message) => {
    expect(describeFailure(error, 'k')).toEqual({ code, message });
  });

  it('speaks of the leadership for elect', () => {
    expect(
      describeFailure(new ZookeeperLockTimeoutError('timeout', '/locks/k', 500), 'k', 'leadership'),
    ).toEqual({
      code: ExitCode.TIMEOUT,
      message: "timed out after 500 ms waiting to lead 'k'",
    });
    expect(describeFailure(new ZookeeperLockLostError('gone', '/locks/k'), 'k', 'leadership')).toEqual({
      code: ExitCode.LOST,
      message: "lost the ZooKeeper session while waiting to lead 'k'",
    });
  });

  it('gives every outcome its own code', () => {
    const codes = Object.values(ExitCode);
    expect(new Set(codes).size).toBe(codes.length);
  });
});

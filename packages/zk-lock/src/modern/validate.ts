import { describeValue, lockParentPath, NonNegativeInt, PositiveInt } from '@zk-lock/core';
import * as E from 'fp-ts/lib/Either.js';
import { ZookeeperLockArgumentError } from '../errors.js';
import type { AcquireOptions, LockKind } from './options.js';

/**
 * Checks what a caller passes to the modern API before anything reaches the server; every
 * failure is a `ZookeeperLockArgumentError` naming the field.
 */

export interface AcquireRequest {
  readonly timeoutMs: number;
  readonly maxHolders: number;
  readonly failImmediate: boolean;
  readonly signal: AbortSignal | undefined;
}

const invalid = (field: string, expected: string, value: unknown): ZookeeperLockArgumentError =>
  new ZookeeperLockArgumentError(field, `${field}: expected ${expected}, got ${describeValue(value)}`);

/** The lock parent of `key`, e.g. `/locks/prefix/key`; throws for a malformed key. */
export const parentPathOf = (pathPrefix: string | undefined, key: unknown): string => {
  const path = lockParentPath(pathPrefix, key as string);
  if (E.isLeft(path)) throw new ZookeeperLockArgumentError(path.left.field, path.left.message);
  return path.right;
};

const KINDS: ReadonlyArray<unknown> = ['exclusive', 'read', 'write'] satisfies LockKind[];

/** `withLock`'s `kind` option. */
export const lockKind = (kind: unknown): LockKind => {
  if (kind === undefined) return 'exclusive';
  if (KINDS.includes(kind)) return kind as LockKind;
  throw invalid('kind', "'exclusive', 'read' or 'write'", kind);
};

/** The acquire options of a lock of `kind`, with their defaults; throws for a malformed one. */
export const acquireRequest = (options: unknown, kind: LockKind): AcquireRequest => {
  if (options === undefined) return { timeoutMs: 0, maxHolders: 1, failImmediate: false, signal: undefined };
  if (typeof options !== 'object' || options === null) throw invalid('options', 'an object', options);
  const { timeout, maxConcurrentHolders, failImmediate, signal } = options as Record<
    keyof AcquireOptions,
    unknown
  >;
  if (timeout !== undefined && !NonNegativeInt.is(timeout))
    throw invalid('timeout', 'a non-negative integer (ms)', timeout);
  if (maxConcurrentHolders !== undefined && kind !== 'exclusive')
    throw new ZookeeperLockArgumentError(
      'maxConcurrentHolders',
      `maxConcurrentHolders: not allowed for ${kind} locks (the read/write rule decides who holds)`,
    );
  if (maxConcurrentHolders !== undefined && !PositiveInt.is(maxConcurrentHolders))
    throw invalid('maxConcurrentHolders', 'a positive integer', maxConcurrentHolders);
  if (failImmediate !== undefined && typeof failImmediate !== 'boolean')
    throw invalid('failImmediate', 'a boolean', failImmediate);
  if (signal !== undefined && !(signal instanceof AbortSignal))
    throw invalid('signal', 'an AbortSignal', signal);
  return {
    timeoutMs: timeout ?? 0,
    maxHolders: maxConcurrentHolders ?? 1,
    failImmediate: failImmediate ?? false,
    signal,
  };
};

/** The `signal` of an options object that takes nothing else (`observeLeader`). */
export const abortSignalOption = (options: unknown): AbortSignal | undefined => {
  if (options === undefined) return undefined;
  if (typeof options !== 'object' || options === null) throw invalid('options', 'an object', options);
  const { signal } = options as { signal?: unknown };
  if (signal !== undefined && !(signal instanceof AbortSignal))
    throw invalid('signal', 'an AbortSignal', signal);
  return signal;
};

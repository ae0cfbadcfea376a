import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { lockParentPath, MAX_PARENT_PATH_LENGTH, validatePathPrefix } from '@zk-lock/core';

const left = <A, B>(e: E.Either<A, B>): A => {
  if (E.isRight(e)) throw new Error(`expected a Left, got ${JSON.stringify(e.right)}`);
  return e.left;
};

describe('lockParentPath', () => {
  it('builds /locks/<prefix>/<key> like zk-lock 2.x', () => {
    expect(lockParentPath('foo/bar', 'baz')).toEqual(E.right('/locks/foo/bar/baz'));
    expect(lockParentPath(undefined, 'baz')).toEqual(E.right('/locks/baz'));
    expect(lockParentPath('', 'baz')).toEqual(E.right('/locks/baz'));
    expect(lockParentPath('p', 'a/b')).toEqual(E.right('/locks/p/a/b'));
  });

  it('keeps a key named like a reserved node under /locks/', () => {
    expect(lockParentPath(undefined, 'zookeeper/quota')).toEqual(E.right('/locks/zookeeper/quota'));
  });

  it.each([
    ['', 'key', 'expected a non-empty string, got ""'],
    ['a//b', 'key', 'segment 2 ("") is empty'],
    ['/a', 'key', 'segment 1 ("") is empty'],
    ['a/', 'key', 'segment 2 ("") is empty'],
    ['../x', 'key', 'segment 1 ("..") is a relative path component'],
    ['a/./b', 'key', 'segment 2 (".") is a relative path component'],
    ['a\u0000b', 'key', 'contains U+0000'],
    ['tab\there', 'key', 'contains U+0009'],
    ['del\u007f', 'key', 'contains U+007F'],
    ['c1\u0085', 'key', 'contains U+0085'],
    ['pua\ue000', 'key', 'contains U+E000'],
    ['hi\ud83d\ude00', 'key', 'contains U+D83D'],
    ['spec\ufff0', 'key', 'contains U+FFF0'],
  ])('rejects the key %j naming the field and segment', (key, field, why) => {
    const error = left(lockParentPath(undefined, key));
    expect(error.field).toBe(field);
    expect(error.message).toContain(`${field}: `);
    expect(error.message).toContain(why);
  });

  it('names the prefix when the prefix is bad', () => {
    const error = left(lockParentPath('a/../b', 'k'));
    expect(error).toEqual({
      _tag: 'PathError',
      field: 'pathPrefix',
      segment: '..',
      message: 'pathPrefix: segment 2 ("..") is a relative path component',
    });
  });

  it('rejects values that are not strings', () => {
    expect(left(lockParentPath(undefined, 42 as unknown as string)).message).toBe(
      'key: expected a non-empty string, got 42',
    );
    expect(left(lockParentPath(7 as unknown as string, 'k')).message).toBe(
      'pathPrefix: expected a string, got 7',
    );
  });

  it('bounds the length of the whole path', () => {
    const fits = 'k'.repeat(MAX_PARENT_PATH_LENGTH - '/locks/'.length);
    expect(E.isRight(lockParentPath(undefined, fits))).toBe(true);
    const error = left(lockParentPath(undefined, `${fits}k`));
    expect(error.field).toBe('key');
    expect(error.message).toContain(`at most ${MAX_PARENT_PATH_LENGTH}`);
  });

  it('accepts non-ASCII text ZooKeeper allows', () => {
    expect(lockParentPath('équipe', 'clé-ü-日本')).toEqual(E.right('/locks/équipe/clé-ü-日本'));
  });
});

describe('validatePathPrefix', () => {
  it('accepts empty (no prefix) and nested prefixes, rejects bad segments', () => {
    expect(validatePathPrefix('')).toEqual(E.right(''));
    expect(validatePathPrefix('a/b')).toEqual(E.right('a/b'));
    expect(left(validatePathPrefix('a//b')).field).toBe('pathPrefix');
  });
});

import * as E from 'fp-ts/lib/Either.js';
import { describeValue } from './describe.js';

/**
 * Lock parent paths: `/locks/<pathPrefix>/<key>`, built exactly as zk-lock 2.x built them, but
 * validated segment by segment against ZooKeeper's own path rules before anything reaches a server.
 */

/** The root every lock lives under (2.x). Nothing a caller passes can leave it. */
export const LOCKS_ROOT = '/locks';

/**
 * The longest lock parent path we accept, in UTF-16 code units. ZooKeeper itself only limits a
 * request by `jute.maxbuffer`; a bound keeps every lock node path (`<parent>/lock-0000000000`)
 * far from it and makes absurd keys a clear error instead of a server-side failure.
 */
export const MAX_PARENT_PATH_LENGTH = 1024;

export interface PathError {
  readonly _tag: 'PathError';
  /** The option that holds the bad value. */
  readonly field: 'key' | 'pathPrefix';
  /** The offending segment (the whole value when the value itself is wrong). */
  readonly segment: string;
  readonly message: string;
}

const pathError = (field: PathError['field'], segment: string, why: string): PathError => ({
  _tag: 'PathError',
  field,
  segment,
  message: `${field}: ${why}`,
});

/**
 * The code points ZooKeeper's `PathUtils.validatePath` rejects: NUL, C0 and C1 controls, DEL,
 * surrogates and the private use area (U+D800–U+F8FF), and U+FFF0–U+FFFF.
 */
const rejectedCodePoint = (c: number): boolean =>
  c <= 0x1f || (c >= 0x7f && c <= 0x9f) || (c >= 0xd800 && c <= 0xf8ff) || c >= 0xfff0;

const describeChar = (c: number): string => `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;

/** One `/`-separated segment of a key or prefix; `index` counts from 1 for the message. */
const validateSegment = (
  field: PathError['field'],
  segment: string,
  index: number,
): E.Either<PathError, string> => {
  const at = `segment ${index} (${JSON.stringify(segment)})`;
  if (segment === '')
    return E.left(pathError(field, segment, `${at} is empty (leading, trailing or double '/')`));
  if (segment === '.' || segment === '..')
    return E.left(pathError(field, segment, `${at} is a relative path component`));
  for (let i = 0; i < segment.length; i++) {
    const c = segment.charCodeAt(i);
    if (rejectedCodePoint(c))
      return E.left(pathError(field, segment, `${at} contains ${describeChar(c)}, which ZooKeeper rejects`));
  }
  return E.right(segment);
};

const validatePart = (field: PathError['field'], value: string): E.Either<PathError, string> => {
  const segments = value.split('/');
  for (let i = 0; i < segments.length; i++) {
    const checked = validateSegment(field, segments[i] ?? '', i + 1);
    if (E.isLeft(checked)) return checked;
  }
  return E.right(value);
};

/**
 * `/locks/<pathPrefix>/<key>` (no prefix: `/locks/<key>`), as zk-lock 2.x. Both may hold `/` for
 * nested segments. An empty or absent prefix means none, as 2.x treated a falsy prefix.
 */
export const lockParentPath = (pathPrefix: string | undefined, key: string): E.Either<PathError, string> => {
  if (typeof key !== 'string' || key === '')
    return E.left(pathError('key', String(key), `expected a non-empty string, got ${describeValue(key)}`));
  if (pathPrefix !== undefined && typeof pathPrefix !== 'string')
    return E.left(
      pathError('pathPrefix', String(pathPrefix), `expected a string, got ${describeValue(pathPrefix)}`),
    );
  const prefix =
    pathPrefix === undefined || pathPrefix === '' ? E.right('') : validatePart('pathPrefix', pathPrefix);
  if (E.isLeft(prefix)) return prefix;
  const checkedKey = validatePart('key', key);
  if (E.isLeft(checkedKey)) return checkedKey;
  const path = prefix.right === '' ? `${LOCKS_ROOT}/${key}` : `${LOCKS_ROOT}/${prefix.right}/${key}`;
  if (path.length > MAX_PARENT_PATH_LENGTH)
    return E.left(
      pathError(
        'key',
        key,
        `the lock path would be ${path.length} characters long; at most ${MAX_PARENT_PATH_LENGTH} are allowed`,
      ),
    );
  return E.right(path);
};

/** Validates a path prefix on its own (for the config codec); empty means none. */
export const validatePathPrefix = (pathPrefix: string): E.Either<PathError, string> =>
  pathPrefix === '' ? E.right(pathPrefix) : validatePart('pathPrefix', pathPrefix);

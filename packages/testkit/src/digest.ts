import { createHash } from 'node:crypto';

/**
 * ZooKeeper's digest form of a user: `user:base64(sha1("user:password"))`, as used for the
 * `superDigest` option (user `super`) and for digest ACL ids.
 */
export const digest = (user: string, password: string): string =>
  `${user}:${createHash('sha1').update(`${user}:${password}`).digest('base64')}`;

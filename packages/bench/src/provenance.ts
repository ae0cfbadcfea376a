import { execFileSync } from 'node:child_process';

/** The packages whose code the figures measure. */
const MEASURED = ['packages/core', 'packages/zookeeper', 'packages/zk-lock', 'patches'];

const git = (args: ReadonlyArray<string>): string | undefined => {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined; // not a git checkout (e.g. an unpacked tarball): the figures just lack it
  }
};

/**
 * Which code the figures belong to: the commit, and whether the measured packages had
 * uncommitted changes (figures of a dirty tree cannot be reproduced from the commit alone).
 */
export const provenance = (): {
  readonly commit: string | undefined;
  readonly dirty: boolean | undefined;
} => {
  const commit = git(['rev-parse', '--short', 'HEAD']);
  const status = git(['status', '--porcelain', '--', ...MEASURED]);
  return { commit, dirty: status === undefined ? undefined : status !== '' };
};

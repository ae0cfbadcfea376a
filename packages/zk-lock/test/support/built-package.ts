import { execFile } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** The repository's root directory. */
export const repo = fileURLToPath(new URL('../../../..', import.meta.url));

/** `zk-lock`'s package directory; its build is in `dist/`. */
export const zkLockPackage = join(repo, 'packages/zk-lock');

const run = promisify(execFile);

/** The packages `zk-lock`'s build depends on, its own included. */
const BUILT_PACKAGES = ['packages/core', 'packages/zookeeper', 'packages/zk-lock'];

const newest = (path: string): number =>
  statSync(path).isDirectory()
    ? Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))))
    : statSync(path).mtimeMs;

const stale = (dir: string): boolean => {
  const built = statSync(join(repo, dir, 'dist/index.js'), { throwIfNoEntry: false });
  return built === undefined || newest(join(repo, dir, 'src')) > built.mtimeMs;
};

/**
 * Builds `zk-lock` and its workspace dependencies when a build is missing or older than its
 * sources (`npm test` has just built them). Tests of what ships run against `dist/`.
 */
export const ensureBuilt = async (): Promise<void> => {
  if (BUILT_PACKAGES.some(stale))
    await run('pnpm', ['--filter', 'zk-lock...', 'run', 'build'], { cwd: repo, timeout: 240_000 });
};

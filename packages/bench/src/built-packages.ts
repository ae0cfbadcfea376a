import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The packages a measured process loads. The bench measures them as they ship: their tsup builds
 * in dist/, not their TypeScript sources through tsx (whose transform keeps every function's name
 * with a `__name()` call at run time, costing W1 about 15 % of its cycles per second).
 */
const MEASURED = ['zk-lock', '@zk-lock/testkit'] as const;
/** zk-lock's own workspace dependencies, resolvable from zk-lock's directory (not the bench's). */
const MEASURED_THROUGH_ZK_LOCK = ['@zk-lock/core', '@zk-lock/zookeeper'] as const;

const newestMtimeMs = (dir: string): number => {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestMtimeMs(path) : statSync(path).mtimeMs;
    if (mtime > newest) newest = mtime;
  }
  return newest;
};

const builtMtimeMs = (dir: string): number | undefined => {
  try {
    return statSync(join(dir, 'dist', 'index.js')).mtimeMs;
  } catch {
    return undefined;
  }
};

/** Why the package in `dir` cannot be measured as built, or undefined when its build is current. */
export const buildProblem = (dir: string): string | undefined => {
  const built = builtMtimeMs(dir);
  if (built === undefined) return 'no build (dist/index.js)';
  return newestMtimeMs(join(dir, 'src')) > built ? 'dist/ is older than src/' : undefined;
};

/**
 * Why the measured packages cannot be benchmarked as built: one line per package whose build is
 * missing or older than a file of its sources. Empty when every build is current.
 */
export const staleBuilds = (): ReadonlyArray<string> => {
  const fromBench = createRequire(import.meta.url);
  const fromZkLock = createRequire(fromBench.resolve('zk-lock/package.json'));
  const packages = [
    ...MEASURED.map((name) => [name, fromBench] as const),
    ...MEASURED_THROUGH_ZK_LOCK.map((name) => [name, fromZkLock] as const),
  ];
  return packages.flatMap(([name, require]) => {
    const problem = buildProblem(dirname(require.resolve(`${name}/package.json`)));
    return problem === undefined ? [] : [`${name}: ${problem}`];
  });
};

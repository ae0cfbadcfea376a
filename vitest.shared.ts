import { fileURLToPath } from 'node:url';
import { configDefaults, defineProject } from 'vitest/config';

const src = (pkg: string): string =>
  fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

/** Tests import sibling packages from source, so no build is needed to run them. */
export const workspaceAliases = {
  '@zk-lock/core': src('core'),
  '@zk-lock/zookeeper': src('zookeeper'),
  '@zk-lock/testkit': src('testkit'),
  'zk-lock': src('zk-lock'),
};

/** `exclude`: test files that are not part of the project (not skipped: not there at all). */
export const project = (name: string, options: { server?: boolean; exclude?: ReadonlyArray<string> } = {}) =>
  defineProject({
    resolve: { alias: workspaceAliases },
    test: {
      name,
      include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
      exclude: [...configDefaults.exclude, ...(options.exclude ?? [])],
      // Suites that start real ZooKeeper servers get generous hook/test timeouts; pure suites do not.
      testTimeout: options.server ? 60_000 : 5_000,
      hookTimeout: options.server ? 60_000 : 10_000,
    },
  });

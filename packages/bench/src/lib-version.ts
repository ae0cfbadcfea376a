import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** An installed package's version, from its manifest (the package itself is not loaded). */
export const packageVersion = (name: string): string => {
  const { version } = JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as {
    version: string;
  };
  return version;
};

/** `zk-lock-<version>`: names the library under test in every result, as other tools name theirs. */
export const libName = (): string => `zk-lock-${packageVersion('zk-lock')}`;

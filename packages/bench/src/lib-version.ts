import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** `zk-lock-<version>`: names the library under test in every result, as other tools name theirs. */
export const libName = (): string => {
  const manifest = createRequire(import.meta.url).resolve('zk-lock/package.json');
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  return `zk-lock-${version}`;
};

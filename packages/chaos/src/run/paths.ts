import { fileURLToPath } from 'node:url';

/** The repository root: workers run from here so `--import tsx` and the tsconfig paths resolve. */
export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
export const rootTsconfig = fileURLToPath(new URL('../../../../tsconfig.json', import.meta.url));

import { defineConfig } from 'tsup';

export default defineConfig({
  // `cli` is the `zk-lock` bin. package.json `bin` names the CommonJS build, dist/cli.cjs: `zk-lock demo`
  // bundles the testkit, whose CommonJS dependencies cannot be `require`d from an ES module bundle.
  entry: { index: 'src/index.ts', cli: 'src/cli/main.ts' },
  format: ['esm', 'cjs'],
  // Bluebird's loader is resolved by the installed package (its `imports`), per module system.
  external: ['#load-bluebird'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
});

import { defineConfig } from 'tsup';

export default defineConfig({
  // `cli` is the `zk-lock` bin. package.json `bin` names the CommonJS build, dist/cli.cjs: `zk-lock demo`
  // bundles the testkit, whose CommonJS dependencies cannot be `require`d from an ES module bundle.
  entry: { index: 'src/index.ts', cli: 'src/cli/main.ts' },
  format: ['esm', 'cjs'],
  // The Bluebird loader tells the CommonJS build by its empty `import.meta`, which esbuild warns of.
  esbuildOptions(options, { format }) {
    if (format === 'cjs') options.logOverride = { ...options.logOverride, 'empty-import-meta': 'silent' };
  },
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
});

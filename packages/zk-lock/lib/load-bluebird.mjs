// Loads Bluebird for the 2.x class, on its first call (the modern API never gets here).
//
// A plain `require('bluebird')` call, so that a bundler of an ES module app (esbuild, webpack,
// Rollup's commonjs plugin) sees it and bundles Bluebird behind this call: a 2.x app's bundle then
// runs without node_modules, and a modern-only app's bundle leaves Bluebird out. Node runs ES
// modules without `require`, so there it comes from `createRequire`. A namespace import, so that the
// bundle's name for it cannot clash with the `createRequire` banner many ESM bundles carry.
// Hand-written JavaScript, shipped as it is: a build would turn `require` into a helper that a
// bundler no longer recognises.
import * as nodeModule from 'node:module';

export const loadBluebird = () =>
  typeof require === 'function' ? require('bluebird') : nodeModule.createRequire(import.meta.url)('bluebird');

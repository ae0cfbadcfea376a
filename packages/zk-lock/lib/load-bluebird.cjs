// Loads Bluebird for the 2.x class, on its first call (the modern API never gets here); a bundler of
// a CommonJS app bundles it behind this call. See load-bluebird.mjs.
exports.loadBluebird = () => require('bluebird');

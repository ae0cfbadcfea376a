/**
 * The demo: several processes contending for one key through `ZookeeperLock`. Not part of the
 * library's public entry; the repo's `npm run demo` (scripts/demo.sh) and the CLI drive it.
 */
export { runDemo, type DemoOptions, type DemoResult } from './run-demo.js';
export { runDemoWorkerProcess } from './worker-process.js';
export type { WorkerReport, WorkerSettings } from './protocol.js';
export type { Hold } from './timeline.js';

/** One worker process of the demo, forked by demo.test.ts with an IPC channel (the CLI has its own). */
import { runDemoWorkerProcess } from '../../src/demo/index.js';

await runDemoWorkerProcess(process.argv[2] ?? '{}');

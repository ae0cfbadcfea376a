/** One worker process of the demo (forked by demo.ts with an IPC channel). */
import { runDemoWorkerProcess } from '../src/demo/index.js';

await runDemoWorkerProcess(process.argv[2] ?? '{}');

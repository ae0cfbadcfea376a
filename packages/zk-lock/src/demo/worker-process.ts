import type { StartSignal, WorkerReport, WorkerSettings } from './protocol.js';
import { runDemoWorker } from './worker.js';

/**
 * The body of a demo worker process (spawned with an IPC channel by `runDemo`): reads its settings
 * from the JSON argument, says `ready`, waits for `start`, contends, and exits 0 when done
 * (1 on failure). Whatever launches it (the repo's demo script, a CLI) only has to call this.
 */
export const runDemoWorkerProcess = async (settingsJson: string): Promise<void> => {
  const settings = JSON.parse(settingsJson) as WorkerSettings;
  const send = (message: WorkerReport): void => {
    process.send?.(message);
  };
  await new Promise<void>((resolve) => {
    process.on('message', (message: StartSignal) => {
      if (message.type === 'start') resolve();
    });
    send({ type: 'ready', worker: settings.worker });
  });
  try {
    await runDemoWorker(settings, send);
    process.exitCode = 0;
  } catch {
    process.exitCode = 1;
  } finally {
    process.disconnect?.();
  }
};

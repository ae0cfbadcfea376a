import { spawn } from 'node:child_process';

/**
 * A tiny sidecar that kills a server process (SIGKILL) and removes its directories when the
 * process that started it disappears, even by SIGKILL, where no exit hook of ours can run.
 * It checks its own parent pid (Linux /proc; elsewhere whether the parent still answers signal 0)
 * every 200 ms and exits by itself as soon as the server is gone.
 * The server is known by its pid *and* its start time (Linux /proc): pids are reused (here
 * pid_max is 32768, and every JVM thread takes one), and a watchdog that mistook a newcomer for its
 * server would kill that process, e.g. another test's ZooKeeper, once its own parent ends.
 * Plain CommonJS in a string so that it runs with `node -e` from source and from the build alike.
 */
const WATCHDOG_SOURCE = `
const { readFileSync, rmSync } = require('node:fs');
const [parent, server] = process.argv.slice(1, 3).map(Number);
const dirs = process.argv.slice(3);
const stateOf = (pid) => {
  try { return readFileSync('/proc/' + pid + '/stat', 'utf8').split(') ')[1].split(' '); } catch { return undefined; }
};
// Field 22 of /proc/<pid>/stat (index 19 after the command): when the process started.
const startTime = (stat) => stat[19];
const serverStart = (() => { const stat = stateOf(server); return stat === undefined ? undefined : startTime(stat); })();
const alive = (pid, start) => {
  const stat = stateOf(pid);
  if (stat !== undefined) return stat[0] !== 'Z' && stat[0] !== 'X' && (start === undefined || startTime(stat) === start);
  try { process.kill(pid, 0); return true; } catch (error) { return error.code === 'EPERM'; }
};
const orphaned = () => {
  const stat = stateOf(process.pid);
  return stat !== undefined ? Number(stat[1]) !== parent : !alive(parent);
};
for (const signal of ['SIGINT', 'SIGHUP', 'SIGTERM']) process.on(signal, () => {});
const timer = setInterval(() => {
  if (!alive(server, serverStart)) process.exit(0);
  if (!orphaned()) return;
  clearInterval(timer);
  if (alive(server, serverStart)) { try { process.kill(server, 'SIGKILL'); } catch {} }
  const started = Date.now();
  const finish = setInterval(() => {
    if (alive(server, serverStart) && Date.now() - started < 5000) return;
    clearInterval(finish);
    for (const dir of dirs) { try { rmSync(dir, { recursive: true, force: true }); } catch {} }
    process.exit(0);
  }, 50);
}, 200);
`;

/** Starts the watchdog for `serverPid`; it lives on its own and never keeps this process alive. */
export const startWatchdog = (serverPid: number, dirs: readonly string[]): void => {
  const watchdog = spawn(
    process.execPath,
    ['-e', WATCHDOG_SOURCE, String(process.pid), String(serverPid), ...dirs],
    {
      stdio: 'ignore',
      env: {},
    },
  );
  watchdog.unref();
};

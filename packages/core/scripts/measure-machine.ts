import { FakeZooKeeper } from '../test/support/fake-zookeeper.js';
import { lockActor, lockInput, waitFor, type AttemptInput } from '../test/support/run-lock.js';

/**
 * `node --expose-gc --import tsx packages/core/scripts/measure-machine.ts [cycles] [held]`: the
 * machine's own cost on its engine, without a server: µs per uncontended acquire/release cycle
 * over the in-memory ZooKeeper, and heap retained per held lock. Not a benchmark (see
 * docs/benchmarks.md), a before/after gauge for changes to the machine. tsx names every function
 * at run time (`__name`), which costs time of its own: bundle it with esbuild for finer figures.
 */

const cycles = Number(process.argv[2] ?? 5000);
const heldLocks = Number(process.argv[3] ?? 5000);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');

const zk = new FakeZooKeeper();
const session = zk.session();

// As the shells start an attempt on a warm session: creating its node at once.
const start = (input: AttemptInput) => lockActor(session.port(), input).start(session.info);

const cycle = async (input: AttemptInput): Promise<void> => {
  const actor = start(input);
  await waitFor(actor, (s) => s.hasTag('held'));
  actor.send({ type: 'RELEASE' });
  await waitFor(actor, (s) => s.status === 'done');
};

const measureCycles = async (n: number): Promise<number> => {
  zk.mkdirp('/locks/cycle');
  const input = lockInput('/locks/cycle');
  for (let i = 0; i < Math.min(n, 500); i++) await cycle(input); // warm-up
  const began = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  for (let i = 0; i < n; i++) await cycle(input);
  const used = process.cpuUsage(cpu);
  return {
    wall: Number(process.hrtime.bigint() - began) / 1000 / n,
    // CPU time is what a shared machine disturbs least.
    cpu: (used.user + used.system) / n,
  };
};

const measureHeld = async (n: number): Promise<number> => {
  const inputs = Array.from({ length: n }, (_, i) => {
    zk.mkdirp(`/locks/held/${i}`);
    return lockInput(`/locks/held/${i}`);
  });
  gc();
  const before = process.memoryUsage().heapUsed;
  const actors = inputs.map(start);
  await Promise.all(actors.map((a) => waitFor(a, (s) => s.hasTag('held'))));
  gc();
  const after = process.memoryUsage().heapUsed;
  for (const actor of actors) actor.send({ type: 'RELEASE' });
  await Promise.all(actors.map((a) => waitFor(a, (s) => s.status === 'done')));
  return (after - before) / n;
};

const perCycle = await measureCycles(cycles);
const bytesPerHeld = await measureHeld(heldLocks);
process.stdout.write(
  `${cycles} cycles: ${perCycle.wall.toFixed(1)} µs/cycle (${perCycle.cpu.toFixed(1)} µs CPU, ` +
    `${Math.round(1e6 / perCycle.wall)} cycles/s); ` +
    `${heldLocks} held: ${(bytesPerHeld / 1024).toFixed(1)} KB heap per held lock\n`,
);

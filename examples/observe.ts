// Observability: lifecycle events on node:diagnostics_channel, and who holds a lock.
// Run: ZK_LOCK_CONNECT=127.0.0.1:2181 pnpm exec tsx examples/observe.ts
import diagnostics_channel from 'node:diagnostics_channel';
import { createLocks, DiagnosticChannels, type AcquiredMessage, type ReleasedMessage } from 'zk-lock';

diagnostics_channel.subscribe(DiagnosticChannels.acquired, (message) => {
  const { key, waitMs } = message as AcquiredMessage;
  console.log(`[apm] acquired ${key} after ${waitMs.toFixed(1)} ms`);
});
diagnostics_channel.subscribe(DiagnosticChannels.released, (message) => {
  const { key, heldMs } = message as ReleasedMessage;
  console.log(`[apm] released ${key} after holding it ${heldMs.toFixed(1)} ms`);
});

const locks = createLocks({
  connect: process.env.ZK_LOCK_CONNECT ?? '127.0.0.1:2181',
  pathPrefix: 'examples',
});

{
  await using lock = await locks.acquire('observed');
  for (const contender of await locks.contenders('observed')) {
    const owner = contender.owner === undefined ? 'unknown owner' : `pid ${contender.owner.pid}`;
    const mine = contender.owner?.pid === process.pid ? ' (this process)' : '';
    console.log(`${contender.role} ${contender.node} held by ${owner}${mine}; token ${lock.fencingToken}`);
  }
}

await locks.close();

// Leader election: three instances of a scheduler campaign, one leads at a time, and anyone can
// see who leads and where to reach it.
// Run: ZK_LOCK_CONNECT=127.0.0.1:2181 pnpm exec tsx examples/election.ts
import { createLocks, type Leader } from 'zk-lock';

const locks = createLocks({
  connect: process.env.ZK_LOCK_CONNECT ?? '127.0.0.1:2181',
  pathPrefix: 'examples',
});

// Each instance campaigns with the address it serves on; the first in line leads, the others wait.
const campaign = (name: string) => ({
  name,
  leading: locks.campaign('scheduler', { value: `${name}.internal:8080` }),
});
const a = campaign('scheduler-a');
const b = campaign('scheduler-b');
const c = campaign('scheduler-c');
const first = await a.leading;
console.log(`${a.name} leads with fencing token ${first.fencingToken}`);

// Anyone can ask who leads now, and where to reach it...
console.log(`leader(): ${(await locks.leader('scheduler'))?.value}`);

// ...or follow the election: the leader now, then each change. (A `for await` loop is the usual
// way; this example takes one change at a time to tell the story in order.)
const changes = locks.observeLeader('scheduler');
const showNextChange = async () => {
  const next = await changes.next();
  const leader: Leader | undefined = next.done === true ? undefined : next.value;
  console.log(
    leader === undefined
      ? 'observed: nobody leads'
      : `observed: ${leader.value} leads (token ${leader.fencingToken})`,
  );
};
await showNextChange();

// The leader publishes a new value: a write that only its own, unchanged node accepts.
await first.proclaim('scheduler-a.internal:9090');
await showNextChange();

// Resigning hands over at once: the next in line leads without waiting for any session timeout.
await first.resign();
const second = await b.leading;
console.log(
  `${b.name} leads after ${a.name} resigned; token larger: ${second.fencingToken > first.fencingToken}`,
);
await showNextChange();

await second.resign();
{
  await using third = await c.leading; // resigns at the end of the block
  console.log(`${c.name} leads`);
  third.lostSignal.addEventListener('abort', () => console.log('leadership lost: stop scheduling'));
  await showNextChange();
}
await showNextChange();

await changes.return?.();
await locks.close();

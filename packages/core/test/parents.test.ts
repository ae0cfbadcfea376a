import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  MAX_CREATE_ATTEMPTS,
  parentAhead,
  parentHint,
  parentsToCreate,
  type ParentNodes,
} from '@zk-lock/core';
import { FakeZooKeeper } from './support/fake-zookeeper.js';
import { flush, lockInput, settled, startLock } from './support/run-lock.js';

const PARENT = '/locks/app/job';
const modes: ParentNodes[] = ['container', 'persistent'];

/** Acquires `PARENT` on a session of `zk` with `hint`, releases it, and returns the held snapshot's context. */
const lockOnce = async (zk: FakeZooKeeper, hint = parentHint('container', true)) => {
  const session = zk.session();
  const lock = startLock(session.port(), lockInput(PARENT, { parent: hint }));
  const held = await settled(lock);
  expect(held.matches('held'), JSON.stringify(held.value)).toBe(true);
  lock.send({ type: 'RELEASE' });
  await flush();
  expect(lock.getSnapshot().value).toBe('released');
  return { context: held.context, requests: session.requests };
};

describe('when lock parents are made (parentAhead, parentsToCreate)', () => {
  test.prop([fc.constantFrom(...modes), fc.boolean(), fc.nat(MAX_CREATE_ATTEMPTS)])(
    'a parent create goes ahead of the first create only, for a parent the session has not seen, in the configured mode',
    (nodes, seen, attempts) => {
      const hint = parentHint(nodes, seen);
      expect(parentAhead(hint, attempts)).toBe(!seen && attempts === 0 ? nodes : undefined);
      expect(parentsToCreate(hint)).toBe(nodes);
    },
  );

  it('hands out one hint object per combination (an attempt allocates none)', () => {
    expect(parentHint('container', true)).toBe(parentHint('container', true));
    expect(parentHint('persistent', false)).toEqual({ nodes: 'persistent', seen: false });
  });
});

describe('lock parents, by the machine over the fake store', () => {
  it.each(modes)(
    'an unseen parent costs one more request, sent ahead of the node’s create: a %s',
    async (nodes) => {
      const zk = new FakeZooKeeper();
      zk.mkdirp('/locks/app');
      const first = await lockOnce(zk, parentHint(nodes, false));
      expect(first.requests).toEqual([
        'connect',
        'createParent',
        'createSequential',
        'listChildren',
        'remove',
      ]);
      expect(zk.isContainer(PARENT)).toBe(nodes === 'container');
      // The next attempt's session has seen it: the steady state is three requests again.
      const next = await lockOnce(zk, parentHint(nodes, true));
      expect(next.requests).toEqual(['connect', 'createSequential', 'listChildren', 'remove']);
    },
  );

  it.each(modes)(
    'missing ancestors: the ahead create fails unseen, then the parents are made, the leaf as a %s and the ancestors persistent',
    async (nodes) => {
      const zk = new FakeZooKeeper();
      const { requests } = await lockOnce(zk, parentHint(nodes, false));
      expect(requests).toEqual([
        'connect',
        'createParent',
        'createSequential',
        'listChildren',
        'createParents',
        'createSequential',
        'listChildren',
        'remove',
      ]);
      expect(zk.isContainer(PARENT)).toBe(nodes === 'container');
      expect(['/locks', '/locks/app'].map((path) => zk.isContainer(path))).toEqual([false, false]);
    },
  );

  it('a container reaped after the session saw it: NO_NODE, made again, held, with a larger fencing token', async () => {
    const zk = new FakeZooKeeper();
    zk.mkdirp('/locks/app');
    const first = await lockOnce(zk, parentHint('container', false));
    expect(zk.reapContainers()).toEqual([PARENT]);
    // The hint is stale: the session saw the parent, the server has deleted it since.
    const second = await lockOnce(zk, parentHint('container', true));
    expect(second.requests).toEqual([
      'connect',
      'createSequential',
      'listChildren',
      'createParents',
      'createSequential',
      'listChildren',
      'remove',
    ]);
    expect(zk.isContainer(PARENT)).toBe(true);
    expect(second.context.fencingToken!).toBeGreaterThan(first.context.fencingToken!);
    expect(second.context.error).toBeUndefined();
  });

  it('a held lock keeps its container; the reaper takes it only once the last node is gone', async () => {
    const zk = new FakeZooKeeper();
    const session = zk.session();
    const lock = startLock(session.port(), lockInput(PARENT, { parent: parentHint('container', false) }));
    expect((await settled(lock)).matches('held')).toBe(true);
    expect(zk.reapContainers()).toEqual([]);
    lock.send({ type: 'RELEASE' });
    await flush();
    expect(zk.reapContainers()).toEqual([PARENT]);
    expect(zk.exists('/locks/app')).toBe(true);
  });
});

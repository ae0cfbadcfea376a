import { describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { lockOutcome, MAX_CREATE_ATTEMPTS, RETRY_DELAY_MS } from '@zk-lock/core';
import { FakeZooKeeper } from './support/fake-zookeeper.js';
import { gatedPort } from './support/gated-port.js';
import { flush, lockActor, lockInput, settled, startLock, waitFor } from './support/run-lock.js';

const PARENT = '/locks/app/job';

const setup = () => {
  const zk = new FakeZooKeeper();
  zk.mkdirp(PARENT);
  return zk;
};

describe('the lock machine on its engine over the fake store', () => {
  it('acquires and releases uncontended with exactly create, list, remove', async () => {
    const zk = setup();
    const session = zk.session();
    const actor = startLock(session.port(), lockInput(PARENT));
    const held = await settled(actor);
    expect(held.value).toEqual({ held: 'live' });
    expect(held.context.node).toBe('lock-0000000000');
    expect(held.context.sequence).toBe(0);
    expect(held.context.fencingToken).toBe(zk.czxid(PARENT)! << 32n);
    expect(lockOutcome(held)).toEqual({
      _tag: 'Held',
      fencingToken: held.context.fencingToken,
      suspended: false,
    });
    actor.send({ type: 'RELEASE' });
    await flush();
    expect(actor.getSnapshot().value).toBe('released');
    expect(session.requests).toEqual(['connect', 'createSequential', 'listChildren', 'remove']);
    expect(zk.ephemeralPaths()).toEqual([]);
    expect(session.disconnects).toBe(1);
    expect(session.subscribers).toBe(0);
  });

  it('sends the listing with the create: held after one request of the port, no separate listing', async () => {
    const zk = setup();
    const gated = gatedPort(zk.session().port());
    const a = startLock(gated.port, lockInput(PARENT));
    gated.next('connect').perform();
    await waitFor(a, (s) => s.matches({ creating: 'creatingNode' }));
    gated.next('createSequentialAndList').perform();
    await waitFor(a, (s) => s.matches('held'));
    expect(() => gated.next('listChildren')).toThrow('no pending listChildren');
  });

  it.each([
    ['CANCEL', 'cancelled'],
    ['TIMEOUT', 'timedOut'],
    ['DESTROY', 'destroyed'],
  ] as const)('ends an attempt that never started on %s in %s, without a request', async (type, outcome) => {
    const zk = setup();
    const session = zk.session();
    const actor = lockActor(session.port(), lockInput(PARENT, { timeoutMs: 1000 }));
    actor.start();
    actor.send({ type });
    await flush();
    expect(actor.getSnapshot().value).toBe(outcome);
    expect(session.requests).toEqual([]);
    expect(session.disconnects).toBe(1);
  });

  it('ACQUIRE with the session of a connected port skips connect: create, list, remove', async () => {
    const zk = setup();
    const session = zk.session();
    const actor = lockActor(session.port(), lockInput(PARENT));
    actor.start();
    actor.send({ type: 'ACQUIRE', session: session.info });
    expect(actor.getSnapshot().value).toEqual({ creating: 'creatingNode' });
    expect((await settled(actor)).matches('held')).toBe(true);
    actor.send({ type: 'RELEASE' });
    await flush();
    expect(actor.getSnapshot().value).toBe('released');
    expect(session.requests).toEqual(['createSequential', 'listChildren', 'remove']);
    expect(session.subscribers).toBe(0);
  });

  it('an attempt started with the session of a connected port creates at once: create, list, remove', async () => {
    const zk = setup();
    const session = zk.session();
    const actor = lockActor(session.port(), lockInput(PARENT)).start(session.info);
    expect(actor.getSnapshot().value).toEqual({ creating: 'creatingNode' });
    expect(session.subscribers).toBe(1);
    expect((await settled(actor)).matches('held')).toBe(true);
    actor.send({ type: 'RELEASE' });
    await flush();
    expect(actor.getSnapshot().value).toBe('released');
    expect(session.requests).toEqual(['createSequential', 'listChildren', 'remove']);
    expect(session.subscribers).toBe(0);
    expect(session.disconnects).toBe(1);
  });

  it('drops the answer of a request sent by a state it has left, as a stopped invocation would', async () => {
    const zk = setup();
    const gated = gatedPort(zk.session().port());
    const a = startLock(gated.port, lockInput(PARENT, { timeoutMs: 5000 }));
    gated.next('connect').perform();
    await waitFor(a, (s) => s.matches({ creating: 'creatingNode' }));
    gated.next('createSequentialAndList').fail('CONNECTION_LOSS', true);
    await waitFor(a, (s) => s.matches({ creating: 'awaitingConnection' }));
    a.send({ type: 'CONNECTION.RECONNECTED' });
    expect(a.getSnapshot().value).toEqual({ creating: 'recovering' });
    // Ending while the recovery listing is out: releasing sends a listing of its own.
    a.send({ type: 'TIMEOUT' });
    expect(a.getSnapshot().value).toEqual({ releasing: 'recovering' });
    gated.oldest('listChildrenWithOwners').perform();
    await flush();
    expect(a.getSnapshot().value).toEqual({ releasing: 'recovering' });
    gated.next('listChildrenWithOwners').perform();
    await waitFor(a, (s) => s.matches({ releasing: 'removing' }));
    gated.next('remove').perform();
    await waitFor(a, (s) => s.status === 'done');
    expect(a.getSnapshot().value).toBe('timedOut');
    expect(zk.children(PARENT)).toEqual([]);
  });

  it('keeps its node when the listing sent with the create fails, and lists again', async () => {
    const zk = setup();
    const session = zk.session();
    session.inject('listChildren', { code: 'NO_AUTH' });
    const held = await settled(startLock(session.port(), lockInput(PARENT)));
    expect(held.matches('held')).toBe(true);
    expect(zk.children(PARENT)).toEqual([held.context.node]);
    expect(session.requests).toEqual(['connect', 'createSequential', 'listChildren', 'listChildren']);
  });

  it('stores the owner data and uses read- nodes for readers', async () => {
    const zk = setup();
    const input = lockInput(PARENT, { kind: 'read' });
    const actor = startLock(zk.session().port(), input);
    const held = await settled(actor);
    expect(held.context.node).toBe('read-0000000000');
    expect(zk.ownerOf(`${PARENT}/read-0000000000`).data).toBe(input.nodeData);
  });

  it('hands a mutex over in order, with growing fencing tokens, counting down without a second listing', async () => {
    const zk = setup();
    const a = startLock(zk.session().port(), lockInput(PARENT));
    const heldA = await settled(a);
    const sessionB = zk.session();
    const b = startLock(sessionB.port(), lockInput(PARENT));
    await waitFor(b, (s) => s.matches('waiting'));
    expect(b.getSnapshot().context.decision).toEqual({
      _tag: 'Wait',
      watch: ['lock-0000000000'],
      countdown: true,
    });
    a.send({ type: 'RELEASE' });
    const heldB = await settled(b);
    expect(heldB.matches('held')).toBe(true);
    expect(heldB.context.fencingToken! > heldA.context.fencingToken!).toBe(true);
    expect(heldB.context.fencingToken).toBe((zk.czxid(PARENT)! << 32n) | 1n);
    expect(sessionB.requests).toEqual(['connect', 'createSequential', 'listChildren', 'watchDeletion']);
  });

  it('semaphore of 2, five in the queue: the far waiter lists again early, then counts down', async () => {
    const zk = setup();
    const start = () => startLock(zk.session().port(), lockInput(PARENT, { maxHolders: 2 }));
    const holders = [start(), start()];
    for (const h of holders) await settled(h);
    const near = [start(), start()];
    for (const w of near) await waitFor(w, (s) => s.matches('waiting'));
    const sessionE = zk.session();
    const e = startLock(sessionE.port(), lockInput(PARENT, { maxHolders: 2 }));
    await waitFor(e, (s) => s.matches('waiting'));
    // Four ahead of E: it watches those 2 and 3 places ahead (lock-1, lock-2).
    expect(e.getSnapshot().context.decision).toEqual({
      _tag: 'Wait',
      watch: ['lock-0000000001', 'lock-0000000002'],
      countdown: false,
    });
    holders[0]!.send({ type: 'RELEASE' });
    expect((await settled(near[0]!)).matches('held')).toBe(true);
    holders[1]!.send({ type: 'RELEASE' });
    expect((await settled(near[1]!)).matches('held')).toBe(true);
    // lock-1 went: E listed again while two were still ahead (both holding) and counts down on them.
    await waitFor(e, (s) => s.context.decision?._tag === 'Wait' && s.context.decision.countdown);
    expect(e.getSnapshot().context.decision).toEqual({
      _tag: 'Wait',
      watch: ['lock-0000000002', 'lock-0000000003'],
      countdown: true,
    });
    near[0]!.send({ type: 'RELEASE' });
    expect((await settled(e)).matches('held')).toBe(true);
    expect(near[1]!.getSnapshot().matches('held')).toBe(true);
    expect(sessionE.requests.filter((r) => r === 'listChildren')).toHaveLength(2);
  });

  it('semaphore of 2: A and B hold, C waits; A unlocks while B keeps holding, C acquires', async () => {
    const zk = setup();
    const start = () => startLock(zk.session().port(), lockInput(PARENT, { maxHolders: 2 }));
    const a = start();
    await settled(a);
    const b = start();
    await settled(b);
    const c = start();
    await waitFor(c, (s) => s.matches('waiting'));
    a.send({ type: 'RELEASE' });
    expect((await settled(c)).matches('held')).toBe(true);
    expect(b.getSnapshot().matches('held')).toBe(true);
  });

  it('read/write: readers share, a writer waits for them, a later reader queues behind the writer', async () => {
    const zk = setup();
    const start = (kind: 'read' | 'write') => startLock(zk.session().port(), lockInput(PARENT, { kind }));
    const r1 = start('read');
    await settled(r1);
    const r2 = start('read');
    expect((await settled(r2)).matches('held')).toBe(true);
    const w = start('write');
    await waitFor(w, (s) => s.matches('waiting'));
    const r3 = start('read');
    await waitFor(r3, (s) => s.matches('waiting'));
    r1.send({ type: 'RELEASE' });
    r2.send({ type: 'RELEASE' });
    expect((await settled(w)).matches('held')).toBe(true);
    expect(r3.getSnapshot().matches('waiting')).toBe(true);
    w.send({ type: 'RELEASE' });
    expect((await settled(r3)).matches('held')).toBe(true);
  });

  it('failImmediate ends in alreadyLocked and leaves no node', async () => {
    const zk = setup();
    const a = startLock(zk.session().port(), lockInput(PARENT));
    await settled(a);
    const session = zk.session();
    const b = startLock(session.port(), lockInput(PARENT, { failImmediate: true }));
    const end = await settled(b);
    expect(end.value).toBe('alreadyLocked');
    expect(lockOutcome(end)).toEqual({ _tag: 'AlreadyLocked' });
    expect(zk.children(PARENT)).toEqual(['lock-0000000000']);
    expect(session.disconnects).toBe(1);
  });

  it('times out by its own delay and removes its node', async () => {
    const zk = setup();
    await settled(startLock(zk.session().port(), lockInput(PARENT)));
    const clock = new SimulatedClock();
    const session = zk.session();
    const b = startLock(session.port(), lockInput(PARENT, { timeoutMs: 5000 }), clock);
    await waitFor(b, (s) => s.matches('waiting'));
    clock.increment(4999);
    await flush();
    expect(b.getSnapshot().matches('waiting')).toBe(true);
    clock.increment(1);
    await flush();
    expect(b.getSnapshot().value).toBe('timedOut');
    expect(zk.children(PARENT)).toEqual(['lock-0000000000']);
    expect(session.disconnects).toBe(1);
  });

  it('the lock timeout stops counting once held', async () => {
    const zk = setup();
    const clock = new SimulatedClock();
    const a = startLock(zk.session().port(), lockInput(PARENT, { timeoutMs: 100 }), clock);
    await settled(a);
    clock.increment(1000);
    await flush();
    expect(a.getSnapshot().matches('held')).toBe(true);
  });

  it('a timeout while the create is in flight waits for its reply and removes the node', async () => {
    const zk = setup();
    const session = zk.session();
    const gated = gatedPort(session.port());
    const a = startLock(gated.port, lockInput(PARENT, { timeoutMs: 5000 }));
    gated.next('connect').perform();
    await waitFor(a, (s) => s.matches({ creating: 'creatingNode' }));
    a.send({ type: 'TIMEOUT' });
    expect(a.getSnapshot().matches({ creating: 'creatingNode' })).toBe(true);
    gated.next('createSequentialAndList').perform();
    await waitFor(a, (s) => s.matches({ releasing: 'removing' }));
    gated.next('remove').perform();
    await waitFor(a, (s) => s.status === 'done');
    expect(a.getSnapshot().value).toBe('timedOut');
    expect(zk.children(PARENT)).toEqual([]);
    expect(session.requests).toEqual(['connect', 'createSequential', 'listChildren', 'remove']);
  });

  it('a timeout while the create is in flight and its reply is lost still removes the node', async () => {
    const zk = setup();
    const session = zk.session();
    session.inject('createSequential', { code: 'CONNECTION_LOSS', applied: true });
    const a = startLock(session.port(), lockInput(PARENT, { timeoutMs: 5000 }));
    await waitFor(a, (s) => s.matches({ creating: 'creatingNode' }));
    a.send({ type: 'TIMEOUT' });
    await waitFor(a, (s) => s.status === 'done');
    expect(a.getSnapshot().value).toBe('timedOut');
    expect(zk.children(PARENT)).toEqual([]);
    expect(session.requests).toEqual([
      'connect',
      'createSequential',
      'listChildren',
      'listChildrenWithOwners',
      'remove',
    ]);
  });

  it('CANCEL while waiting ends in cancelled with no node left', async () => {
    const zk = setup();
    await settled(startLock(zk.session().port(), lockInput(PARENT)));
    const b = startLock(zk.session().port(), lockInput(PARENT));
    await waitFor(b, (s) => s.matches('waiting'));
    b.send({ type: 'CANCEL' });
    await waitFor(b, (s) => s.status === 'done');
    expect(b.getSnapshot().value).toBe('cancelled');
    expect(zk.children(PARENT)).toEqual(['lock-0000000000']);
  });

  it('DESTROY while held removes the node; DESTROY from idle sends no request', async () => {
    const zk = setup();
    const session = zk.session();
    const a = startLock(session.port(), lockInput(PARENT));
    await settled(a);
    a.send({ type: 'DESTROY' });
    await waitFor(a, (s) => s.status === 'done');
    expect(a.getSnapshot().value).toBe('destroyed');
    expect(zk.children(PARENT)).toEqual([]);

    const idle = zk.session();
    const b = lockActor(idle.port(), lockInput(PARENT)).start();
    b.send({ type: 'DESTROY' });
    expect(b.getSnapshot().value).toBe('destroyed');
    expect(idle.requests).toEqual([]);
    expect(idle.disconnects).toBe(1);
  });

  it('creates missing parents only after the create says NO_NODE', async () => {
    const zk = new FakeZooKeeper();
    const session = zk.session();
    const held = await settled(startLock(session.port(), lockInput(PARENT)));
    expect(held.matches('held')).toBe(true);
    // The listing sent with each create is answered too (NO_NODE the first time, ignored).
    expect(session.requests).toEqual([
      'connect',
      'createSequential',
      'listChildren',
      'createParents',
      'createSequential',
      'listChildren',
    ]);
  });

  it(`gives up after ${MAX_CREATE_ATTEMPTS} creates answered NO_NODE`, async () => {
    const zk = setup();
    const session = zk.session();
    for (let i = 0; i < MAX_CREATE_ATTEMPTS; i++) session.inject('createSequential', { code: 'NO_NODE' });
    const end = await settled(startLock(session.port(), lockInput(PARENT)));
    expect(end.value).toBe('failed');
    expect(end.context.error).toEqual({ _tag: 'ParentKeptVanishing', attempts: MAX_CREATE_ATTEMPTS });
  });

  it.each([true, false])(
    'a create whose reply is lost (applied: %s) is recovered after reconnect: exactly one node',
    async (applied) => {
      const zk = setup();
      const session = zk.session();
      session.inject('createSequential', { code: 'CONNECTION_LOSS', applied });
      const a = startLock(session.port(), lockInput(PARENT));
      await waitFor(a, (s) => s.matches({ creating: 'awaitingConnection' }));
      expect(a.getSnapshot().context.nodeUnknown).toBe(true);
      session.reconnect();
      const held = await settled(a);
      expect(held.matches('held')).toBe(true);
      expect(zk.children(PARENT)).toEqual([held.context.node]);
      expect(session.requests.filter((r) => r === 'createSequential')).toHaveLength(applied ? 1 : 2);
    },
  );

  it('a timeout during recovery still finds and removes the node whose create reply was lost', async () => {
    const zk = setup();
    const session = zk.session();
    session.inject('createSequential', { code: 'CONNECTION_LOSS', applied: true });
    const a = startLock(session.port(), lockInput(PARENT, { timeoutMs: 5000 }));
    await waitFor(a, (s) => s.matches({ creating: 'awaitingConnection' }));
    expect(zk.children(PARENT)).toHaveLength(1);
    a.send({ type: 'TIMEOUT' });
    await waitFor(a, (s) => s.status === 'done');
    expect(a.getSnapshot().value).toBe('timedOut');
    expect(zk.children(PARENT)).toEqual([]);
  });

  it('retries a listing after a connection loss without waiting for RECONNECTED forever', async () => {
    const zk = setup();
    const clock = new SimulatedClock();
    const session = zk.session();
    // The first fails the listing sent with the create, the second the listing that follows it.
    session.inject('listChildren', { code: 'CONNECTION_LOSS' });
    session.inject('listChildren', { code: 'CONNECTION_LOSS' });
    const a = startLock(session.port(), lockInput(PARENT), clock);
    await waitFor(a, (s) => s.matches({ evaluating: 'awaitingConnection' }));
    clock.increment(RETRY_DELAY_MS);
    expect((await settled(a)).matches('held')).toBe(true);
  });

  it('held: suspended then reconnected stays held; suspended too long is lost', async () => {
    const zk = setup();
    const clock = new SimulatedClock();
    const session = zk.session();
    const a = startLock(session.port(), lockInput(PARENT), clock);
    await settled(a);
    session.suspend(5000);
    expect(a.getSnapshot().value).toEqual({ held: 'suspended' });
    expect(lockOutcome(a.getSnapshot())).toMatchObject({ _tag: 'Held', suspended: true });
    clock.increment(4000);
    session.reconnect();
    expect(a.getSnapshot().value).toEqual({ held: 'live' });
    clock.increment(2000);
    expect(a.getSnapshot().value).toEqual({ held: 'live' });
    session.suspend(5000);
    clock.increment(5000);
    expect(a.getSnapshot().value).toBe('lost');
    expect(lockOutcome(a.getSnapshot())).toEqual({
      _tag: 'Lost',
      wasHeld: true,
      error: { _tag: 'SessionLost', reason: 'timeout' },
    });
    expect(session.disconnects).toBe(1);
  });

  it('listens to the session from connect until the end, also when stopped from outside', async () => {
    const zk = setup();
    const session = zk.session();
    const a = startLock(session.port(), lockInput(PARENT));
    expect(session.subscribers).toBe(0);
    await settled(a);
    expect(session.subscribers).toBe(1);
    a.send({ type: 'RELEASE' });
    await waitFor(a, (s) => s.status === 'done');
    expect(session.subscribers).toBe(0);

    const b = startLock(session.port(), lockInput(PARENT));
    await settled(b);
    b.stop();
    session.suspend();
    expect(session.subscribers).toBe(0);
    expect(b.getSnapshot().value).toEqual({ held: 'live' });
  });

  it('a session expired while waiting ends in lost', async () => {
    const zk = setup();
    await settled(startLock(zk.session().port(), lockInput(PARENT)));
    const session = zk.session();
    const b = startLock(session.port(), lockInput(PARENT));
    await waitFor(b, (s) => s.matches('waiting'));
    session.expire();
    expect(b.getSnapshot().value).toBe('lost');
    expect(lockOutcome(b.getSnapshot())).toMatchObject({ _tag: 'Lost', wasHeld: false });
    expect(zk.children(PARENT)).toEqual(['lock-0000000000']);
  });

  it('waiting: a reconnect after a suspension lists again', async () => {
    const zk = setup();
    await settled(startLock(zk.session().port(), lockInput(PARENT)));
    const session = zk.session();
    const b = startLock(session.port(), lockInput(PARENT));
    await waitFor(b, (s) => s.matches('waiting'));
    session.suspend();
    expect(b.getSnapshot().value).toEqual({ waiting: 'suspended' });
    session.reconnect();
    await waitFor(b, (s) => s.matches('waiting'));
    expect(session.requests.filter((r) => r === 'listChildren')).toHaveLength(2);
  });

  it('a countdown notices its own node deleted under it: NodeVanished, not held', async () => {
    const zk = setup();
    const a = startLock(zk.session().port(), lockInput(PARENT));
    await settled(a);
    const b = startLock(zk.session().port(), lockInput(PARENT));
    await waitFor(b, (s) => s.matches('waiting'));
    zk.remove(`${PARENT}/lock-0000000001`);
    await waitFor(b, (s) => s.status === 'done');
    expect(b.getSnapshot().value).toBe('failed');
    expect(b.getSnapshot().context.error).toEqual({ _tag: 'NodeVanished', node: 'lock-0000000001' });
    expect(a.getSnapshot().matches('held')).toBe(true);
  });

  it('fails with NodeVanished when its node was deleted under it and it lists again', async () => {
    const zk = setup();
    const a = startLock(zk.session().port(), lockInput(PARENT));
    await settled(a);
    const b = startLock(zk.session().port(), lockInput(PARENT));
    await waitFor(b, (s) => s.matches('waiting'));
    // C is two places back: it watches B and lists again when B goes (a countdown would not).
    const c = startLock(zk.session().port(), lockInput(PARENT));
    await waitFor(c, (s) => s.matches('waiting'));
    zk.remove(`${PARENT}/lock-0000000002`);
    zk.remove(`${PARENT}/lock-0000000001`);
    await waitFor(c, (s) => s.status === 'done');
    expect(c.getSnapshot().value).toBe('failed');
    expect(c.getSnapshot().context.error).toEqual({ _tag: 'NodeVanished', node: 'lock-0000000002' });
  });

  it('release survives a connection loss of the remove: retried after reconnect', async () => {
    const zk = setup();
    const session = zk.session();
    const a = startLock(session.port(), lockInput(PARENT));
    await settled(a);
    session.inject('remove', { code: 'CONNECTION_LOSS' });
    a.send({ type: 'RELEASE' });
    await waitFor(a, (s) => s.matches({ releasing: 'awaitingConnection' }));
    session.reconnect();
    await waitFor(a, (s) => s.status === 'done');
    expect(a.getSnapshot().value).toBe('released');
    expect(zk.children(PARENT)).toEqual([]);
  });

  it('a request failing for good ends in failed with the typed failure', async () => {
    const zk = setup();
    const session = zk.session();
    session.inject('createSequential', { code: 'NO_AUTH' });
    const end = await settled(startLock(session.port(), lockInput(PARENT)));
    expect(end.value).toBe('failed');
    expect(lockOutcome(end)).toEqual({
      _tag: 'Failed',
      error: {
        _tag: 'RequestFailed',
        request: 'createSequential',
        failure: { _tag: 'ZkFailure', code: 'NO_AUTH', message: 'injected NO_AUTH' },
      },
    });
  });
});

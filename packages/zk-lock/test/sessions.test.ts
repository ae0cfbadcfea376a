import { waitFor } from '@zk-lock/testkit';
import { describe, expect, it } from 'vitest';
import { ZookeeperLock } from 'zk-lock';
import { configFor, useZooKeeper } from './support/zookeeper.js';

const server = useZooKeeper();

/** The session ids of the server's client connections, from `cons`. */
const sessionsOnServer = async (): Promise<string[]> => {
  const member = server().zk.members[0];
  if (member === undefined) throw new Error('no member');
  const cons = await server().zk.fourLetter(member, 'cons');
  return [...cons.matchAll(/sid=0x([0-9a-f]+)/g)].map((match) => (match[1] as string).padStart(16, '0'));
};

describe('sessions', () => {
  it('1000 locks on distinct keys from one process hold one ZooKeeper session (server cons)', async () => {
    const observerSession = server().observer.getSessionId().toString('hex');
    expect(await sessionsOnServer()).toEqual([observerSession]);
    ZookeeperLock.initialize(configFor(server()));

    const locks = await Promise.all(Array.from({ length: 1000 }, (_, i) => ZookeeperLock.lock(`key-${i}`)));

    expect(locks.every((lock) => lock.state === ZookeeperLock.States.LOCKED)).toBe(true);
    const lockSessions = new Set(locks.map((lock) => lock.client?.getSessionId().toString('hex')));
    expect(lockSessions.size).toBe(1);
    const others = (await sessionsOnServer()).filter((sid) => sid !== observerSession);
    expect(others).toEqual([...lockSessions]);

    await Promise.all(locks.map((lock) => lock.unlock()));
    // After the last unlock the shared session lingers for sessionLingerMs (1 s, for a lock() that
    // follows at once), then closes: "unlock closes the connection" still holds.
    await waitFor(async () => (await sessionsOnServer()).join() === observerSession, {
      timeoutMs: 5000,
      message: 'only the observer session left on the server',
    });
  });
});

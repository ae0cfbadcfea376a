import { existsSync, readFileSync } from 'node:fs';
import zookeeper from '@zk-lock/node-zookeeper-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectRaw, startZooKeeper, waitFor, type ZooKeeper } from '@zk-lock/testkit';
import { alive } from './processes.js';

const createEphemeral = (client: zookeeper.Client, path: string): Promise<string> =>
  new Promise((resolve, reject) =>
    client.create(path, zookeeper.CreateMode.EPHEMERAL, (error, created) =>
      error ? reject(error) : resolve(created),
    ),
  );

const statOf = (client: zookeeper.Client, path: string): Promise<zookeeper.Stat | undefined> =>
  new Promise((resolve, reject) =>
    client.exists(path, (error, stat) => (error ? reject(error) : resolve(stat ?? undefined))),
  );

describe('a 3-member ensemble', () => {
  let zk: ZooKeeper;
  beforeAll(async () => {
    zk = await startZooKeeper({ servers: 3, systemProperties: { 'znode.container.checkIntervalMs': 250 } });
  });
  afterAll(async () => {
    await zk.close();
  });

  it('starts every member with the extra system properties', () => {
    for (const member of zk.members)
      expect(readFileSync(`/proc/${member.pid}/cmdline`, 'utf8').split('\0')).toContain(
        '-Dznode.container.checkIntervalMs=250',
      );
  });

  it('elects exactly one leader; the others follow', async () => {
    expect(zk.members.map((member) => member.id)).toEqual([1, 2, 3]);
    expect(zk.connectString.split(',')).toEqual(zk.members.map((member) => member.address));
    const modes = await Promise.all(zk.members.map((member) => zk.mode(member)));
    expect(modes.filter((mode) => mode === 'leader')).toHaveLength(1);
    expect(modes.filter((mode) => mode === 'follower')).toHaveLength(2);
    const leader = await zk.leader();
    expect(await zk.mode(leader)).toBe('leader');
  });

  it('elects a new leader when the leader is killed, and a session survives the switch', async () => {
    const client = await connectRaw(zk.connectString, { sessionTimeout: 20_000 });
    const expired = vi.fn();
    const disconnected = vi.fn();
    client.on('expired', expired);
    client.on('disconnected', disconnected);
    try {
      await createEphemeral(client, '/survivor');
      const oldLeader = await zk.leader();
      await oldLeader.kill();
      expect(oldLeader.running).toBe(false);

      const newLeader = await zk.leader();
      expect(newLeader.id).not.toBe(oldLeader.id);
      // The followers dropped their clients during the election: wait for this one to be back.
      await waitFor(() => client.getState() === zookeeper.State.SYNC_CONNECTED, { timeoutMs: 20_000 });
      const stat = await statOf(client, '/survivor');
      expect(stat?.ephemeralOwner.equals(client.getSessionId())).toBe(true);
      expect(disconnected).toHaveBeenCalled();
      expect(expired).not.toHaveBeenCalled();

      await oldLeader.start();
      expect(await zk.mode(oldLeader)).toBe('follower');
    } finally {
      client.close();
    }
  });

  it('close kills every member and removes their directories', async () => {
    const other = await startZooKeeper({ servers: 3 });
    const pids = other.members.map((member) => member.pid as number);
    const dirs = other.members.map((member) => member.dir);
    expect(pids.every(alive)).toBe(true);
    await other.close();
    expect(pids.filter(alive)).toEqual([]);
    expect(dirs.filter((dir) => existsSync(dir))).toEqual([]);
  });
});

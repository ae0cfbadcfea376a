import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { connectRaw, startZooKeeper, waitFor, type ZooKeeper } from '@zk-lock/testkit';
import { alive } from './processes.js';

describe('a standalone server', () => {
  let zk: ZooKeeper | undefined;
  afterEach(async () => {
    await zk?.close();
    zk = undefined;
  });

  it('starts on 127.0.0.1, answers ruok and reports standalone mode', async () => {
    zk = await startZooKeeper();
    const [member] = zk.members;
    expect(zk.members).toHaveLength(1);
    expect(zk.connectString).toBe(`127.0.0.1:${member?.port}`);
    expect(await zk.fourLetter(member!, 'ruok')).toBe('imok');
    expect(await zk.mode(member!)).toBe('standalone');
    expect(await zk.leader()).toBe(member);
    expect(await zk.fourLetter(member!, 'mntr')).toMatch(/zk_server_state\s+standalone/);
  });

  it('listens below the ephemeral port range, so no outgoing connection can take its port across a restart', async () => {
    const ephemeralLow = Number(
      readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').split(/\s+/)[0],
    );
    zk = await startZooKeeper({ servers: 1 });
    expect(zk.members[0]!.port).toBeLessThan(ephemeralLow);
    expect(zk.members[0]!.port).toBeGreaterThanOrEqual(10_000);
  });

  it('leaves no process and no data directory after close', async () => {
    zk = await startZooKeeper();
    const member = zk.members[0]!;
    const pid = member.pid!;
    expect(alive(pid)).toBe(true);
    expect(existsSync(member.dir)).toBe(true);
    await zk.close();
    expect(alive(pid)).toBe(false);
    expect(existsSync(member.dir)).toBe(false);
    expect(member.running).toBe(false);
  });

  it('stops and starts again with its data', async () => {
    zk = await startZooKeeper();
    const member = zk.members[0]!;
    const before = await connectRaw(zk.connectString);
    await new Promise((resolve, reject) =>
      before.create('/kept', (error) => (error ? reject(error) : resolve(undefined))),
    );
    before.close();
    await member.stop();
    expect(await member.mode()).toBe('down');
    await member.start();
    expect(await member.mode()).toBe('standalone');
    const after = await connectRaw(zk.connectString);
    const stat = await new Promise((resolve, reject) =>
      after.exists('/kept', (error, found) => (error ? reject(error) : resolve(found))),
    );
    after.close();
    expect(stat).toBeTruthy();
  });

  it('does not answer while paused and answers again after resume', async () => {
    zk = await startZooKeeper();
    const member = zk.members[0]!;
    member.pause();
    await expect(member.fourLetter('srvr')).rejects.toThrow(/no answer/);
    member.resume();
    expect(await waitFor(() => member.mode().then((mode) => mode === 'standalone'))).toBe(true);
  });

  it('rejects bad options naming the field', async () => {
    await expect(startZooKeeper({ servers: 2 as 1 })).rejects.toThrow(/servers must be 1 or 3/);
    await expect(startZooKeeper({ tickTime: -1 })).rejects.toThrow(/tickTime/);
    await expect(startZooKeeper({ systemProperties: { 'a b': 1 } })).rejects.toThrow(
      /systemProperties: "a b" is not a property name/,
    );
    await expect(startZooKeeper({ systemProperties: { 'zk-lock.testkit.owner': 1 } })).rejects.toThrow(
      /systemProperties: zk-lock.testkit.owner is set by the testkit itself/,
    );
    await expect(startZooKeeper({ systemProperties: { 'x.y': 'a\nb' } })).rejects.toThrow(
      /systemProperties: x.y must be a one-line string/,
    );
  });

  it('starts the JVM with the extra system properties, and again after a restart', async () => {
    zk = await startZooKeeper({ systemProperties: { 'znode.container.checkIntervalMs': 100 } });
    const member = zk.members[0]!;
    const commandLine = (): string[] => readFileSync(`/proc/${member.pid}/cmdline`, 'utf8').split('\0');
    expect(commandLine()).toContain('-Dznode.container.checkIntervalMs=100');
    await member.stop();
    await member.start();
    expect(commandLine()).toContain('-Dznode.container.checkIntervalMs=100');
  });
});

import { describe, expect, it } from 'vitest';
import { mntrCounters, packetsBetween, parseMntr } from '../src/mntr.js';
import { parseConnectString } from '../src/connect-string.js';

// The head of a real ZooKeeper 3.8 `mntr` answer.
const answer = [
  'zk_version\t3.8.0-debian--1, built on 2022-08-02 12:00 UTC',
  'zk_server_state\tstandalone',
  'zk_avg_latency\t0.1667',
  'zk_packets_received\t1234',
  'zk_packets_sent\t1240',
  'zk_num_alive_connections\t3',
  '',
].join('\n');

describe('mntr parsing', () => {
  it('reads key<TAB>value lines, values may contain spaces', () => {
    const fields = parseMntr(answer);
    expect(fields.get('zk_server_state')).toBe('standalone');
    expect(fields.get('zk_version')).toBe('3.8.0-debian--1, built on 2022-08-02 12:00 UTC');
    expect(fields.get('zk_num_alive_connections')).toBe('3');
  });

  it('reads the packet and connection counters as numbers', () => {
    expect(mntrCounters(answer)).toEqual({ packetsReceived: 1234, aliveConnections: 3 });
  });

  it('refuses an answer without the counters (4lw not whitelisted answers with a sentence)', () => {
    expect(() => mntrCounters('mntr is not executed because it is not in the whitelist.\n')).toThrow(
      /zk_packets_received/,
    );
  });

  it('subtracts the mntr requests the server counted during the phase', () => {
    expect(packetsBetween(1000, 1061, 1)).toBe(60);
    expect(packetsBetween(3000, 3063, 3)).toBe(60);
  });
});

describe('parseConnectString', () => {
  it('lists the servers of a connect string and ignores a chroot', () => {
    expect(parseConnectString('127.0.0.1:2181,localhost:2182/app')).toEqual([
      { host: '127.0.0.1', port: 2181 },
      { host: 'localhost', port: 2182 },
    ]);
  });

  it('names the bad part of a malformed connect string', () => {
    expect(() => parseConnectString('')).toThrow(/empty/);
    expect(() => parseConnectString('127.0.0.1')).toThrow(/"127.0.0.1" is not host:port/);
    expect(() => parseConnectString('127.0.0.1:2181,h:99999')).toThrow(/"h:99999"/);
  });
});

import { describe, expect, it } from 'vitest';
import { mntrValue, sessionsInCons } from '../src/run/cons.js';
import { sessionExpiries } from '../src/run/server-log.js';

describe('reading what ZooKeeper servers say', () => {
  it('finds the sessions of client connections in cons, not the asking connection', () => {
    const cons =
      ' /127.0.0.1:54180[1](queued=0,recved=1,sent=1,sid=0x200000ca0a20000,lop=SESS,est=1795698487283,to=3000)\n' +
      ' /127.0.0.1:54194[0](queued=0,recved=1,sent=0)\n\n';
    expect(sessionsInCons(cons)).toEqual(['0200000ca0a20000']);
  });

  it('reads a mntr counter', () => {
    const mntr = 'zk_version\t3.8.0\nzk_global_sessions\t3\nzk_local_sessions\t0\n';
    expect(mntrValue(mntr, 'zk_global_sessions')).toBe(3);
    expect(mntrValue(mntr, 'zk_nothing')).toBeUndefined();
  });

  it('takes the earliest expiry of each session from the log, as local time', () => {
    const log = [
      '2026-11-26 13:08:17,579 INFO  [SessionTracker:ZooKeeperServer@632] Expiring session 0x100000cbecc0000, timeout of 2000ms exceeded',
      '2026-11-26 13:08:19,101 INFO  [QuorumPeer[myid=1]:ZooKeeperServer@1087] Invalid session 0x100000cbecc0000 for client /127.0.0.1:56680, probably expired',
      '2026-11-26 13:08:16,002 INFO  [SessionTracker:ZooKeeperServer@632] Expiring session 0x100000cbecc0000, timeout of 2000ms exceeded',
    ].join('\n');
    expect(sessionExpiries(log)).toEqual(
      new Map([['0100000cbecc0000', new Date(2026, 10, 26, 13, 8, 16, 2).getTime()]]),
    );
  });
});

import { project } from '../../vitest.shared.ts';

/**
 * The peer runners' smoke (test/peers.test.ts) needs kazoo, Curator and a JDK, which `npm test`
 * does not install (it needs Node, npm and ZooKeeper only). So it is part of this project only
 * where ZK_LOCK_PEER_SMOKE=1 says they are installed: CI (`.ci/run`) and `pnpm bench --peers`
 * (`src/peer-smoke.ts`). `scripts/test.sh` says in one line when it was left out.
 */
export default project('bench', {
  server: true,
  exclude: process.env['ZK_LOCK_PEER_SMOKE'] === '1' ? [] : ['test/peers.test.ts'],
});

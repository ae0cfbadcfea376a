import { mergeConfig } from 'vitest/config';
import { project } from '../../vitest.shared.ts';

// The chaos and load tests run after every other project has finished (a later group) and one
// file at a time: each starts ZooKeeper servers and worker processes that would otherwise share
// the two cores with the timing-sensitive outage tests of other packages, and with each other.
export default mergeConfig(project('chaos', { server: true }), {
  test: { fileParallelism: false, sequence: { groupOrder: 1 } },
});

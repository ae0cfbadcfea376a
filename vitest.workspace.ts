// The list of test projects. Vitest 4 no longer reads workspace files by itself, so the root
// vitest.config.ts imports this list into `test.projects`.
export default [
  'packages/core',
  'packages/testkit',
  'packages/node-zookeeper-client',
  'packages/zookeeper',
  'packages/zk-lock',
  'packages/bench',
  'packages/chaos',
];

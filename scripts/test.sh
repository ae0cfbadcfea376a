#!/usr/bin/env bash
# The README's test command (`npm test`): from a machine with only Node 20 and npm to a full run.
# Installs the pinned pnpm and the locked dependencies, makes sure ZooKeeper is there, then
# type-checks, lints, builds and runs every test. Vitest runs last so that its reporter's
# `tests: N passed, N failed, N skipped` is the final line CI reads.
# It needs Node, npm and ZooKeeper only (and the npm registry): the peer runners' smoke, which needs
# kazoo, Curator and a JDK, runs where ZK_LOCK_PEER_SMOKE=1 says they are installed (`.ci/run`).
set -euo pipefail
cd "$(dirname "$0")/.."

pnpm_version="$(node -p "require('./package.json').packageManager.split('@')[1]")"
if [ "$(pnpm --version 2>/dev/null || true)" != "$pnpm_version" ]; then
  echo "test: installing pnpm@$pnpm_version"
  npm install --global --no-fund --no-audit "pnpm@$pnpm_version"
  hash -r
fi

# Several checkouts' engineers share one machine: serialise installs where flock exists.
if command -v flock >/dev/null; then
  flock /tmp/zk-pnpm.lock pnpm install --frozen-lockfile
else
  pnpm install --frozen-lockfile
fi
node scripts/setup-zookeeper.mjs

pnpm typecheck
pnpm lint
pnpm build

# Every JVM the testkit starts carries this run id, so the check below finds ours and only ours.
ZK_LOCK_TESTKIT_RUN="test-$$-$(date +%s)"
export ZK_LOCK_TESTKIT_RUN
if [ "${ZK_LOCK_PEER_SMOKE:-}" != 1 ]; then
  echo "test: peer smoke (packages/bench/test/peers.test.ts) not run: it needs kazoo, Curator and a JDK, which only CI (.ci/run) and \`pnpm bench --peers\` install; ZK_LOCK_PEER_SMOKE=1 runs it"
fi
status=0
NO_COLOR=1 pnpm vitest run --passWithNoTests || status=$?

# The testkit kills its servers at close, at exit and through its watchdog; give those a moment.
# (The bracketed dots keep grep from finding its own command line.)
ours() { grep -las "zk-lock[.]testkit[.]run=$ZK_LOCK_TESTKIT_RUN" /proc/[0-9]*/cmdline; }
for _ in 1 2 3 4 5 6 7 8 9 10; do
  ours >/dev/null || exit "$status"
  sleep 0.5
done
echo "test: ZooKeeper processes of this run are still running:" >&2
ours >&2 || true
exit 1

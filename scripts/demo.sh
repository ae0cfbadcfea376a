#!/usr/bin/env bash
# The README's demo command (`npm run demo`): five processes contend for one ZooKeeper lock and
# the demo prints who held it when, with fencing tokens. From a machine with only Node 20 and npm:
# installs the pinned pnpm and the locked dependencies, makes sure ZooKeeper is there, builds,
# then starts a local ZooKeeper through the testkit, runs the demo and stops ZooKeeper again.
set -euo pipefail
cd "$(dirname "$0")/.."

log="$(mktemp -t zk-lock-demo-setup.XXXXXX)"
trap 'rm -f "$log"' EXIT

# Setup steps print only their name; their output is shown when one fails.
step() {
  local name="$1"
  shift
  printf '› %s\n' "$name"
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    printf 'demo: "%s" failed\n' "$name" >&2
    exit 1
  fi
}

install_pnpm() {
  npm install --global --no-fund --no-audit "pnpm@$pnpm_version"
  hash -r
}

install_dependencies() {
  # Several checkouts' engineers share one machine: serialise installs where flock exists.
  if command -v flock >/dev/null; then
    flock /tmp/zk-pnpm.lock pnpm install --frozen-lockfile
  else
    pnpm install --frozen-lockfile
  fi
}

pnpm_version="$(node -p "require('./package.json').packageManager.split('@')[1]")"
if [ "$(pnpm --version 2>/dev/null || true)" != "$pnpm_version" ]; then
  step "installing pnpm@$pnpm_version" install_pnpm
fi
step 'installing dependencies' install_dependencies
step 'checking for ZooKeeper' node scripts/setup-zookeeper.mjs
step 'building' pnpm build
echo

# The CLI's `zk-lock demo` starts its own ZooKeeper through the testkit and stops it afterwards.
exec node packages/zk-lock/dist/cli.cjs demo

#!/usr/bin/env node
// Makes sure a ZooKeeper server jar (and Java) is there for @zk-lock/testkit.
// Found through ZOOKEEPER_JAR, ZOOKEEPER_HOME or Debian's package, as the testkit looks for it.
// As root on Debian it installs the `zookeeper` package (no service is started by it); otherwise
// it prints the one command needed and exits 1. Quick and silent-ish when all is there.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const DEBIAN_JAR = '/usr/share/java/zookeeper.jar';
const INSTALL = 'apt-get update && apt-get install -y --no-install-recommends zookeeper';

const hasZooKeeperJar = (dir) =>
  existsSync(dir) && readdirSync(dir).some((name) => /^zookeeper(-\d[\d.]*)?\.jar$/.test(name));

const findJar = () => {
  const { ZOOKEEPER_JAR: jar, ZOOKEEPER_HOME: home } = process.env;
  if (jar) return existsSync(jar) ? jar : fail(`ZOOKEEPER_JAR points to a missing file: ${jar}`);
  if (home) {
    return hasZooKeeperJar(home) || hasZooKeeperJar(join(home, 'lib'))
      ? home
      : fail(`ZOOKEEPER_HOME has no zookeeper jar: ${home}`);
  }
  return existsSync(DEBIAN_JAR) ? DEBIAN_JAR : undefined;
};

const hasJava = () => spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0;

function fail(message) {
  console.error(`setup-zookeeper: ${message}`);
  process.exit(1);
}

const found = findJar();
if (found !== undefined && hasJava()) {
  console.log(`setup-zookeeper: using ${found}`);
  process.exit(0);
}
if (process.getuid?.() !== 0) {
  fail(`ZooKeeper or Java is missing. Install them (Debian) with:\n  sudo sh -c '${INSTALL}'`);
}
console.log(`setup-zookeeper: installing Debian's zookeeper package: ${INSTALL}`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'zookeeper'], {
  stdio: 'inherit',
  env,
});
if (!existsSync(DEBIAN_JAR) || !hasJava())
  fail(`still no ${DEBIAN_JAR} or no java after installing zookeeper`);
console.log(`setup-zookeeper: using ${DEBIAN_JAR}`);

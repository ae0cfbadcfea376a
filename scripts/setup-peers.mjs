#!/usr/bin/env node
// Makes sure the peer libraries the benchmark compares with are there: kazoo for the system
// Python and Apache Curator's jars, both from Debian (the only registries besides npm), plus a JDK
// for Curator's runner (Java's source launcher needs the compiler). As root on Debian it installs
// what is missing; otherwise it prints the one command needed and exits 1.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const PYTHON = '/usr/bin/python3';
const CURATOR_JAR = '/usr/share/java/curator-recipes.jar';
const PACKAGES = ['python3-kazoo', 'libcurator-recipes-java', 'openjdk-17-jdk-headless'];
const INSTALL = `apt-get update && apt-get install -y --no-install-recommends ${PACKAGES.join(' ')}`;

const hasKazoo = () =>
  existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import kazoo'], { stdio: 'ignore' }).status === 0;
const hasJavac = () => spawnSync('javac', ['-version'], { stdio: 'ignore' }).status === 0;
const ready = () => hasKazoo() && existsSync(CURATOR_JAR) && hasJavac();

function fail(message) {
  console.error(`setup-peers: ${message}`);
  process.exit(1);
}

if (ready()) {
  console.log('setup-peers: kazoo and Curator are there');
  process.exit(0);
}
if (process.getuid?.() !== 0) {
  fail(`kazoo, Curator or a JDK is missing. Install them (Debian) with:\n  sudo sh -c '${INSTALL}'`);
}
console.log(`setup-peers: installing from Debian: ${INSTALL}`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...PACKAGES], {
  stdio: 'inherit',
  env,
});
if (!ready()) fail(`still missing kazoo (${PYTHON}), ${CURATOR_JAR} or javac after installing`);
console.log('setup-peers: kazoo and Curator are there');

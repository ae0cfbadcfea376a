import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** How to launch a ZooKeeper server on this machine. */
export interface ZooKeeperInstall {
  readonly java: string;
  readonly jar: string;
  readonly classPath: readonly string[];
}

const DEBIAN_JAR = '/usr/share/java/zookeeper.jar';

/**
 * Debian's zookeeper.jar names its dependencies in its manifest but ships no SLF4J binding; the
 * log4j 1.2 binding from the same directory (a dependency of the package) lets the server log to
 * a file in its data dir instead of printing a warning on stderr.
 */
const DEBIAN_LOGGING_JARS = ['slf4j-log4j12.jar', 'log4j-1.2.jar'];

const jarsIn = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((name) => name.endsWith('.jar'))
        .map((name) => join(dir, name))
    : [];

const fromJar = (jar: string): string[] => [
  jar,
  ...DEBIAN_LOGGING_JARS.map((name) => join(dirname(jar), name)).filter((path) => existsSync(path)),
];

/** An upstream release (ZOOKEEPER_HOME) keeps its jar at the top or in lib/, next to its logback. */
const fromHome = (home: string): string[] => {
  const all = [...jarsIn(home), ...jarsIn(join(home, 'lib'))];
  return all.filter((path) => !/-(sources|javadoc|tests)\.jar$/.test(path));
};

const javaBinary = (env: NodeJS.ProcessEnv): string =>
  env['JAVA_HOME'] !== undefined && existsSync(join(env['JAVA_HOME'], 'bin', 'java'))
    ? join(env['JAVA_HOME'], 'bin', 'java')
    : 'java';

const mainJarOf = (classPath: readonly string[]): string | undefined =>
  classPath.find((path) => /zookeeper(-\d[\d.]*)?\.jar$/.test(path));

/**
 * Finds ZooKeeper through `ZOOKEEPER_JAR`, then `ZOOKEEPER_HOME`, then Debian's package.
 * Throws an error that says how to install it when none is there.
 */
export const locateZooKeeper = (env: NodeJS.ProcessEnv = process.env): ZooKeeperInstall => {
  const java = javaBinary(env);
  const explicitJar = env['ZOOKEEPER_JAR'];
  if (explicitJar !== undefined && explicitJar !== '') {
    if (!existsSync(explicitJar)) throw new Error(`ZOOKEEPER_JAR points to a missing file: ${explicitJar}`);
    return { java, jar: explicitJar, classPath: fromJar(explicitJar) };
  }
  const home = env['ZOOKEEPER_HOME'];
  if (home !== undefined && home !== '') {
    const classPath = fromHome(home);
    const jar = mainJarOf(classPath);
    if (jar === undefined) throw new Error(`ZOOKEEPER_HOME has no zookeeper jar: ${home}`);
    return { java, jar, classPath };
  }
  if (existsSync(DEBIAN_JAR)) return { java, jar: DEBIAN_JAR, classPath: fromJar(DEBIAN_JAR) };
  throw new Error(
    'ZooKeeper not found: set ZOOKEEPER_JAR or ZOOKEEPER_HOME, or run `node scripts/setup-zookeeper.mjs` ' +
      '(as root it installs Debian’s zookeeper package).',
  );
};

import { describeValue, type ServerLocation, type ServerLocator } from '@zk-lock/core';
import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';

/**
 * Where ZooKeeper is, from any of the three forms zk-lock accepts: a 2.x `serverLocator`
 * (`() => Promise<{ host, port }>`), a connect string `'h1:2181,h2:2181'`, or a list of
 * `{ host, port }`. Everything is checked before a client is made from it.
 */

export type LocatorProblem =
  /** The locator's promise rejected. */
  | 'rejected'
  /** The locator threw instead of returning a promise. */
  | 'threw'
  /** The locator's promise did not settle within the bound. */
  | 'timeout'
  /** The locator resolved to something that is not a `{ host, port }` object. */
  | 'not-a-location'
  | 'invalid-host'
  | 'invalid-port'
  /** An empty connect string or list. */
  | 'empty'
  /** A connect string with a `/chroot` suffix. */
  | 'chroot'
  /** Neither a function, a string nor an array. */
  | 'invalid-locator';

export interface LocatorError {
  readonly _tag: 'LocatorError';
  readonly problem: LocatorProblem;
  /** What was wrong, e.g. `serverLocator`, `serverLocator() result.port`, `serverLocator[1].host`. */
  readonly field: string;
  /** `<field>: <what was wrong>` */
  readonly message: string;
}

/** A checked server list and the connect string node-zookeeper-client is given. */
export interface ResolvedServers {
  readonly servers: ReadonlyArray<ServerLocation>;
  /** `host:port,...` in the given order. */
  readonly connectString: string;
}

export interface ResolveOptions {
  /** How long a locator function may take to settle (default `DEFAULT_LOCATOR_TIMEOUT_MS`). */
  readonly timeoutMs?: number;
}

/** Service discovery may go over the network, but a locator that never settles must not hang a lock. */
export const DEFAULT_LOCATOR_TIMEOUT_MS = 10_000;

const DEFAULT_PORT = 2181;
const FIELD = 'serverLocator';

export const locatorError = (problem: LocatorProblem, field: string, detail: string): LocatorError => ({
  _tag: 'LocatorError',
  problem,
  field,
  message: `${field}: ${detail}`,
});

/** Hostnames and IPv4 addresses; node-zookeeper-client splits `host:port` on ':', so no IPv6 literal. */
const HOST = /^[A-Za-z0-9_]([A-Za-z0-9_.-]{0,251}[A-Za-z0-9_])?$/;

const checkHost = (host: unknown, field: string): E.Either<LocatorError, string> => {
  if (typeof host !== 'string' || host === '')
    return E.left(
      locatorError('invalid-host', field, `expected a non-empty host name, got ${describeValue(host)}`),
    );
  if (host.includes(':'))
    return E.left(
      locatorError(
        'invalid-host',
        field,
        `IPv6 literals are not supported by the client, got ${describeValue(host)}`,
      ),
    );
  return HOST.test(host)
    ? E.right(host)
    : E.left(
        locatorError(
          'invalid-host',
          field,
          `expected a host name or IPv4 address, got ${describeValue(host)}`,
        ),
      );
};

/** A port number, or (as 2.x locators often produced) a string of digits. */
const checkPort = (port: unknown, field: string): E.Either<LocatorError, number> => {
  const value = typeof port === 'string' && /^\d{1,5}$/.test(port) ? Number(port) : port;
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65_535
    ? E.right(value)
    : E.left(locatorError('invalid-port', field, `expected a port in 1..65535, got ${describeValue(port)}`));
};

const checkLocation = (location: unknown, field: string): E.Either<LocatorError, ServerLocation> => {
  if (typeof location !== 'object' || location === null || Array.isArray(location))
    return E.left(
      locatorError(
        'not-a-location',
        field,
        `expected an object { host, port }, got ${describeValue(location)}`,
      ),
    );
  const { host, port } = location as { host?: unknown; port?: unknown };
  return pipe(
    E.Do,
    E.apS('host', checkHost(host, `${field}.host`)),
    E.apS('port', checkPort(port, `${field}.port`)),
  );
};

const resolved = (servers: ReadonlyArray<ServerLocation>): ResolvedServers => ({
  servers,
  connectString: servers.map(({ host, port }) => `${host}:${port}`).join(','),
});

/**
 * Connect strings already parsed, and their (immutable) results: every lock attempt resolves its
 * locator, usually the same few strings. Bounded: cleared when full, a miss only parses again.
 */
const parsedConnectStrings = new Map<string, E.Either<LocatorError, ResolvedServers>>();
const PARSED_CONNECT_STRINGS = 64;

const parseConnectString = (connectString: string): E.Either<LocatorError, ResolvedServers> => {
  let parsed = parsedConnectStrings.get(connectString);
  if (parsed === undefined) {
    if (parsedConnectStrings.size >= PARSED_CONNECT_STRINGS) parsedConnectStrings.clear();
    parsedConnectStrings.set(connectString, (parsed = parseNewConnectString(connectString)));
  }
  return parsed;
};

const parseNewConnectString = (connectString: string): E.Either<LocatorError, ResolvedServers> => {
  if (connectString.trim() === '') return E.left(locatorError('empty', FIELD, 'the connect string is empty'));
  if (connectString.includes('/'))
    return E.left(
      locatorError(
        'chroot',
        FIELD,
        `chroot suffixes are not supported (lock paths are absolute), got ${describeValue(connectString)}`,
      ),
    );
  return pipe(
    connectString.split(','),
    E.traverseArrayWithIndex((index, entry) => {
      const field = `${FIELD} entry ${index} (${describeValue(entry)})`;
      const match = /^([^:]*)(?::([^:]*))?$/.exec(entry.trim());
      if (match === null) return E.left(locatorError('invalid-host', field, 'expected host or host:port'));
      return pipe(
        E.Do,
        E.apS('host', checkHost(match[1], field)),
        E.apS('port', match[2] === undefined ? E.right(DEFAULT_PORT) : checkPort(match[2], field)),
      );
    }),
    E.map(resolved),
  );
};

const checkList = (list: ReadonlyArray<unknown>): E.Either<LocatorError, ResolvedServers> =>
  list.length === 0
    ? E.left(locatorError('empty', FIELD, 'the list of servers is empty'))
    : pipe(
        list,
        E.traverseArrayWithIndex((index, location) => checkLocation(location, `${FIELD}[${index}]`)),
        E.map(resolved),
      );

const describeError = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : describeValue(error);

/** Calls a 2.x locator function, bounded: a locator that never settles gives a `timeout` error. */
const callLocator =
  (locator: () => unknown, timeoutMs: number): TE.TaskEither<LocatorError, ResolvedServers> =>
  () =>
    new Promise((resolve) => {
      const field = `${FIELD}() result`;
      const timer = setTimeout(
        () => resolve(E.left(locatorError('timeout', `${FIELD}()`, `did not settle within ${timeoutMs} ms`))),
        timeoutMs,
      );
      const settle = (result: E.Either<LocatorError, ResolvedServers>): void => {
        clearTimeout(timer);
        resolve(result);
      };
      try {
        Promise.resolve(locator()).then(
          (location) =>
            settle(
              pipe(
                checkLocation(location, field),
                E.map((server) => resolved([server])),
              ),
            ),
          (error: unknown) =>
            settle(E.left(locatorError('rejected', `${FIELD}()`, `rejected with ${describeError(error)}`))),
        );
      } catch (error) {
        settle(E.left(locatorError('threw', `${FIELD}()`, `threw ${describeError(error)}`)));
      }
    });

/**
 * The checked server list of a locator that needs no waiting (a connect string or a list); none
 * for a 2.x locator function or bad input (`resolveServers` then calls it, or says what is wrong).
 */
export const resolveServersNow = (locator: ServerLocator): O.Option<ResolvedServers> => {
  const value: unknown = locator;
  if (typeof value === 'string') return O.fromEither(parseConnectString(value));
  if (Array.isArray(value)) return O.fromEither(checkList(value));
  return O.none;
};

/**
 * Turns a locator into a checked server list. A 2.x locator is called once per resolution (it may
 * move, as service discovery does) and must settle within `timeoutMs`.
 */
export const resolveServers = (
  locator: ServerLocator,
  { timeoutMs = DEFAULT_LOCATOR_TIMEOUT_MS }: ResolveOptions = {},
): TE.TaskEither<LocatorError, ResolvedServers> => {
  const value: unknown = locator;
  if (typeof value === 'function') return callLocator(value as () => unknown, timeoutMs);
  if (typeof value === 'string') return TE.fromEither(parseConnectString(value));
  if (Array.isArray(value)) return TE.fromEither(checkList(value));
  return TE.left(
    locatorError(
      'invalid-locator',
      FIELD,
      `expected a function returning a Promise of { host, port }, a connect string or a list of { host, port }, got ${describeValue(value)}`,
    ),
  );
};

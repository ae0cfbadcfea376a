import {
  configDefaults,
  describeValue,
  eitherStruct,
  zkFailure,
  type ServerLocator,
  type ZkFailure,
} from '@zk-lock/core';
import { DEFAULT_LOCATOR_TIMEOUT_MS } from './locator.js';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { AuthInfo, SessionSettings } from './session.js';

/**
 * What a caller says about the session it wants. The names and defaults are the zk-lock
 * configuration's (`LockConfig` of `@zk-lock/core`), so a decoded config can be passed as it is.
 * An options object is read as a value: the pool checks one the first time it sees it, so change
 * options by passing a new object, not by mutating one already used.
 */
export interface SessionOptions {
  /** A 2.x locator `() => Promise<{ host, port }>`, a connect string, or a list of `{ host, port }`. */
  readonly serverLocator: ServerLocator;
  /** Requested session timeout, ms (default 15000, as 2.x). */
  readonly sessionTimeout?: number;
  /** Longest random pause between reconnect rounds, ms (raised to at least `MIN_SPIN_DELAY_MS`). */
  readonly spinDelay?: number;
  /** Credentials, e.g. `[{ scheme: 'digest', id: 'user:password' }]`; part of the pool key. */
  readonly auth?: ReadonlyArray<AuthInfo>;
  /** `true`: an unshared session for this lease (2.x's one connection per lock). */
  readonly connectionPerLock?: boolean;
  /** Bound on a locator function, ms (default `DEFAULT_LOCATOR_TIMEOUT_MS`). */
  readonly locatorTimeoutMs?: number;
  /** Bound on establishing the session, ms (default: the session timeout, at least `MIN_CONNECT_TIMEOUT_MS`). */
  readonly connectTimeoutMs?: number;
  /**
   * How long a session stays open after its last lease is released, ms (default
   * `DEFAULT_SESSION_LINGER_MS`; 0 closes it at once). The next lease within that time reuses it, so
   * an `unlock` followed by a `lock` costs no reconnect. A lingering session never keeps the process
   * alive, and is closed when the process is about to exit.
   */
  readonly sessionLingerMs?: number;
  /**
   * With `connectionPerLock`: whose private session this is (e.g. the lock object). Leases with the
   * same owner share it, and it lingers between them; without an owner every lease gets a new one.
   */
  readonly sessionOwner?: object | string;
}

/**
 * The requested session timeout is only a request: the server raises it to its minimum (two ticks,
 * 4 s with ZooKeeper's defaults), as it did for zk-lock 2.x. A tiny request (`sessionTimeout: 1`)
 * must not become a deadline no connection can meet, so the default bound on establishing the
 * session, and on each handshake, is never below this.
 */
export const MIN_CONNECT_TIMEOUT_MS = 1_000;

/** See `SessionOptions.sessionLingerMs`. */
export const DEFAULT_SESSION_LINGER_MS = 1_000;

/**
 * 2.x defaulted spinDelay to 0: with the server down that is a reconnect loop as fast as the CPU
 * allows. A short floor costs at most this much reconnect latency.
 */
export const MIN_SPIN_DELAY_MS = 100;

const badArgument = (field: string, expected: string, value: unknown): ZkFailure =>
  zkFailure('BAD_ARGUMENTS', `${field}: expected ${expected}, got ${describeValue(value)}`);

const positiveInt = (field: string, value: unknown, fallback: number): E.Either<ZkFailure, number> => {
  if (value === undefined) return E.right(fallback);
  return Number.isSafeInteger(value) && (value as number) > 0
    ? E.right(value as number)
    : E.left(badArgument(field, 'a positive integer', value));
};

const nonNegativeInt = (field: string, value: unknown, fallback: number): E.Either<ZkFailure, number> => {
  if (value === undefined) return E.right(fallback);
  return Number.isSafeInteger(value) && (value as number) >= 0
    ? E.right(value as number)
    : E.left(badArgument(field, 'a non-negative integer', value));
};

const AUTH_EXPECTED = "an array of { scheme: 'digest', id: 'user:password' }";

const isAuthInfo = (entry: unknown): entry is AuthInfo => {
  if (typeof entry !== 'object' || entry === null) return false;
  const { scheme, id } = entry as { scheme?: unknown; id?: unknown };
  if (typeof scheme !== 'string' || scheme === '' || typeof id !== 'string' || id === '') return false;
  return scheme !== 'digest' || /^[^:]+:/.test(id);
};

// Never echo credentials into an error message: name the bad entry instead.
const checkAuth = (value: unknown): E.Either<ZkFailure, ReadonlyArray<AuthInfo>> => {
  if (value === undefined) return E.right([]);
  if (!Array.isArray(value)) return E.left(zkFailure('BAD_ARGUMENTS', `auth: expected ${AUTH_EXPECTED}`));
  const bad = value.findIndex((entry) => !isAuthInfo(entry));
  return bad < 0
    ? E.right(value as ReadonlyArray<AuthInfo>)
    : E.left(
        zkFailure('BAD_ARGUMENTS', `auth: entry ${bad}: expected { scheme, id } (digest: 'user:password')`),
      );
};

/** Checks the session options and fills in the defaults; a bad field gives BAD_ARGUMENTS naming it. */
export const sessionSettings = (options: SessionOptions): E.Either<ZkFailure, SessionSettings> =>
  pipe(
    eitherStruct({
      sessionTimeout: positiveInt('sessionTimeout', options.sessionTimeout, configDefaults.sessionTimeout),
      spinDelay: nonNegativeInt('spinDelay', options.spinDelay, configDefaults.spinDelay),
      auth: checkAuth(options.auth),
    }),
    E.chain(({ sessionTimeout, spinDelay, auth }) =>
      pipe(
        positiveInt(
          'connectTimeoutMs',
          options.connectTimeoutMs,
          Math.max(sessionTimeout, MIN_CONNECT_TIMEOUT_MS),
        ),
        E.map((connectTimeoutMs) => ({
          sessionTimeout,
          spinDelay: Math.max(spinDelay, MIN_SPIN_DELAY_MS),
          auth,
          connectTimeoutMs,
        })),
      ),
    ),
  );

/** The bound on a locator function (`locatorTimeoutMs`), checked like the other options. */
export const locatorTimeout = (options: SessionOptions): E.Either<ZkFailure, number> =>
  positiveInt('locatorTimeoutMs', options.locatorTimeoutMs, DEFAULT_LOCATOR_TIMEOUT_MS);

/** How long a released session stays open for the next lease (`sessionLingerMs`), checked like the other options. */
export const sessionLinger = (options: SessionOptions): E.Either<ZkFailure, number> =>
  nonNegativeInt('sessionLingerMs', options.sessionLingerMs, DEFAULT_SESSION_LINGER_MS);

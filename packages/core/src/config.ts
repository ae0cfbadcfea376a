import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import { describeValue } from './describe.js';
import { eitherStruct } from './either-struct.js';
import { DEFAULT_PARENT_NODES, ParentNodesCodec, type ParentNodes } from './parents.js';
import { validatePathPrefix } from './path.js';

/**
 * The lock configuration: every zk-lock 2.x option with its 2.x default, plus the new ones.
 * `decodeConfig` checks an untrusted object field by field and names the first bad field.
 */

export interface ServerLocation {
  readonly host: string;
  readonly port: number;
}

/**
 * Where ZooKeeper is: a 2.x locator (`() => Promise<{ host, port }>`, resolved by the adapter), a
 * connect string `'h1:2181,h2:2181'` (no chroot suffix), or a list of locations.
 */
export type ServerLocator = (() => PromiseLike<ServerLocation>) | string | ReadonlyArray<ServerLocation>;

export interface DigestAuth {
  readonly scheme: 'digest';
  /** `user:password` */
  readonly id: string;
}

export type AclMode = 'creator' | 'open';

export interface LockConfig {
  readonly serverLocator: ServerLocator;
  /** Segments between `/locks/` and the key; `undefined` for none. */
  readonly pathPrefix: string | undefined;
  readonly sessionTimeout: number;
  readonly spinDelay: number;
  readonly retries: number;
  readonly failImmediate: boolean;
  readonly maxConcurrentHolders: number;
  readonly autoDestroyOnUnlock: boolean;
  readonly enableTraceLog: boolean;
  readonly traceLogRefresh: number;
  readonly traceLogQuietPeriod: number;
  /** `true`: one ZooKeeper session per lock, as 2.x; `false`: locks share a pooled session. */
  readonly connectionPerLock: boolean;
  /** How long a released session stays open for the next lock, in ms (0: close at once). */
  readonly sessionLingerMs: number;
  readonly auth: ReadonlyArray<DigestAuth>;
  /** `creator`: lock nodes carry CREATOR_ALL_ACL; `open`: OPEN_ACL_UNSAFE (2.x). */
  readonly acl: AclMode;
  /** How lock parents are created: `container` (deleted by the server once empty) or `persistent` (2.x). */
  readonly parentNodes: ParentNodes;
}

export const configDefaults = {
  sessionTimeout: 15000,
  spinDelay: 0,
  retries: 0,
  failImmediate: false,
  maxConcurrentHolders: 1,
  autoDestroyOnUnlock: true,
  enableTraceLog: false,
  traceLogRefresh: 10000,
  traceLogQuietPeriod: 30000,
  connectionPerLock: false,
  sessionLingerMs: 1000,
  auth: [] as ReadonlyArray<DigestAuth>,
  acl: 'open' as AclMode,
  parentNodes: DEFAULT_PARENT_NODES,
} as const;

export interface ConfigError {
  readonly _tag: 'ConfigError';
  /** The option at fault, e.g. `maxConcurrentHolders`; `config` when the whole value is wrong. */
  readonly field: string;
  /** `<field>: expected <what>, got <value>` */
  readonly message: string;
}

export const configError = (field: string, message: string): ConfigError => ({
  _tag: 'ConfigError',
  field,
  message: `${field}: ${message}`,
});

const refined = <A>(name: string, is: (u: unknown) => u is A): t.Type<A> =>
  new t.Type<A>(name, is, (u, c) => (is(u) ? t.success(u) : t.failure(u, c)), t.identity);

const isPort = (u: unknown): u is number =>
  Number.isInteger(u) && (u as number) >= 1 && (u as number) <= 65535;

export const PositiveInt = refined(
  'PositiveInt',
  (u): u is number => Number.isSafeInteger(u) && (u as number) > 0,
);
export const NonNegativeInt = refined(
  'NonNegativeInt',
  (u): u is number => Number.isSafeInteger(u) && (u as number) >= 0,
);

const HOST_PORT = /^[^\s,:/]+:(\d{1,5})$/;

/**
 * `host:port[,host:port...]`, every port in 1..65535. No chroot suffix: lock paths are absolute
 * (`/locks/...`) so that every client of a fleet, old and new, meets on the same nodes.
 */
export const ConnectString = refined(
  'ConnectString',
  (u): u is string =>
    typeof u === 'string' &&
    u !== '' &&
    u.split(',').every((entry) => {
      const match = HOST_PORT.exec(entry);
      return match !== null && isPort(Number(match[1]));
    }),
);

export const ServerLocationCodec = refined(
  'ServerLocation',
  (u): u is ServerLocation =>
    typeof u === 'object' &&
    u !== null &&
    typeof (u as { host?: unknown }).host === 'string' &&
    (u as { host: string }).host !== '' &&
    isPort((u as { port?: unknown }).port),
);

export const ServerLocatorCodec: t.Type<ServerLocator> = t.union([
  refined('Locator', (u): u is () => PromiseLike<ServerLocation> => typeof u === 'function'),
  ConnectString,
  refined(
    'ServerLocations',
    (u): u is ReadonlyArray<ServerLocation> =>
      Array.isArray(u) && u.length > 0 && u.every((l) => ServerLocationCodec.is(l)),
  ),
]);

export const DigestAuthCodec = refined(
  'DigestAuth',
  (u): u is DigestAuth =>
    typeof u === 'object' &&
    u !== null &&
    (u as { scheme?: unknown }).scheme === 'digest' &&
    typeof (u as { id?: unknown }).id === 'string' &&
    /^[^:]+:/.test((u as { id: string }).id),
);

export const AclModeCodec = t.keyof({ creator: null, open: null });

/** 2.x treated `null` like an absent option (`== null` checks), so do we. */
const absent = (u: unknown): boolean => u === undefined || u === null;

const option =
  <A>(
    config: Readonly<Record<string, unknown>>,
    field: string,
    codec: t.Decoder<unknown, A>,
    expected: string,
  ) =>
  (fallback: A | undefined): E.Either<ConfigError, A> => {
    const value = config[field];
    if (absent(value) && fallback !== undefined) return E.right(fallback);
    return pipe(
      codec.decode(value),
      E.mapLeft(() => configError(field, `expected ${expected}, got ${describeValue(value)}`)),
    );
  };

const decodeAuth = (value: unknown): E.Either<ConfigError, ReadonlyArray<DigestAuth>> => {
  if (absent(value)) return E.right(configDefaults.auth);
  // Never echo credentials into an error message: name the bad entry instead.
  if (!Array.isArray(value))
    return E.left(configError('auth', `expected an array of { scheme: 'digest', id: 'user:password' }`));
  const bad = value.findIndex((entry) => !DigestAuthCodec.is(entry));
  return bad < 0
    ? E.right(value as ReadonlyArray<DigestAuth>)
    : E.left(configError('auth', `entry ${bad}: expected { scheme: 'digest', id: 'user:password' }`));
};

const decodePathPrefix = (value: unknown): E.Either<ConfigError, string | undefined> => {
  if (absent(value) || value === '') return E.right(undefined);
  if (typeof value !== 'string')
    return E.left(configError('pathPrefix', `expected a string, got ${describeValue(value)}`));
  return pipe(
    validatePathPrefix(value),
    E.bimap(
      (e) => ({ _tag: 'ConfigError' as const, field: 'pathPrefix', message: e.message }),
      (prefix): string | undefined => prefix,
    ),
  );
};

const LOCATOR_EXPECTED =
  "a function returning a Promise of { host, port }, a connect string 'host:port,...' or a non-empty array of { host, port }";

/** Validates an untrusted configuration object and fills in the defaults. */
export const decodeConfig = (input: unknown): E.Either<ConfigError, LockConfig> => {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return E.left(configError('config', `expected an object, got ${describeValue(input)}`));
  const config = input as Readonly<Record<string, unknown>>;
  const d = configDefaults;
  const positive = (field: string) => option(config, field, PositiveInt, 'a positive integer');
  const nonNegative = (field: string) => option(config, field, NonNegativeInt, 'a non-negative integer');
  const bool = (field: string) => option(config, field, t.boolean, 'a boolean');
  return pipe(
    eitherStruct({
      serverLocator: option(config, 'serverLocator', ServerLocatorCodec, LOCATOR_EXPECTED)(undefined),
      pathPrefix: decodePathPrefix(config.pathPrefix),
      sessionTimeout: positive('sessionTimeout')(d.sessionTimeout),
      spinDelay: nonNegative('spinDelay')(d.spinDelay),
      retries: nonNegative('retries')(d.retries),
      failImmediate: bool('failImmediate')(d.failImmediate),
      maxConcurrentHolders: positive('maxConcurrentHolders')(d.maxConcurrentHolders),
      autoDestroyOnUnlock: bool('autoDestroyOnUnlock')(d.autoDestroyOnUnlock),
      enableTraceLog: bool('enableTraceLog')(d.enableTraceLog),
      traceLogRefresh: positive('traceLogRefresh')(d.traceLogRefresh),
      traceLogQuietPeriod: nonNegative('traceLogQuietPeriod')(d.traceLogQuietPeriod),
      connectionPerLock: bool('connectionPerLock')(d.connectionPerLock),
      sessionLingerMs: nonNegative('sessionLingerMs')(d.sessionLingerMs),
      auth: decodeAuth(config.auth),
      acl: option(config, 'acl', AclModeCodec, "'creator' or 'open'")(d.acl),
      parentNodes: option(
        config,
        'parentNodes',
        ParentNodesCodec,
        "'container' or 'persistent'",
      )(d.parentNodes),
    }),
    E.chain(requireCredentialsForCreatorAcl),
  );
};

/** A creator-only ACL names the session's authenticated identity: without credentials there is none. */
const requireCredentialsForCreatorAcl = (config: LockConfig): E.Either<ConfigError, LockConfig> =>
  config.acl === 'creator' && config.auth.length === 0
    ? E.left(
        configError(
          'acl',
          "'creator' needs credentials: set auth to [{ scheme: 'digest', id: 'user:password' }]",
        ),
      )
    : E.right(config);

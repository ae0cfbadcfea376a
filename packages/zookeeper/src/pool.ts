import { eitherStruct, zkFailure, type ZkFailure } from '@zk-lock/core';
import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { resolveServers, resolveServersNow, type ResolvedServers } from './locator.js';
import { locatorTimeout, sessionLinger, sessionSettings, type SessionOptions } from './options.js';
import { ZkSession, type SessionSettings } from './session.js';
import { SessionWindow } from './session-window.js';

/** A share of a session. Once its last lease is released, the session lingers, then closes. */
export interface SessionLease {
  readonly session: ZkSession;
  /**
   * Lets go of the session. The last lease leaves it open for the pool's next lease for
   * `sessionLingerMs`, then it closes (with 0: closes now, and resolves when closed). Idempotent.
   */
  release(): Promise<void>;
}

interface Entry {
  readonly key: string;
  readonly opened: Promise<E.Either<ZkFailure, ZkSession>>;
  /** `sessionLingerMs` of the lease that opened the session. */
  readonly lingerMs: number;
  refs: number;
  /** The session, once opened. */
  session: ZkSession | undefined;
  /** Set while no lease holds the session: the moment it closes. */
  linger: NodeJS.Timeout | undefined;
}

const once = (action: () => Promise<void>): (() => Promise<void>) => {
  let result: Promise<void> | undefined;
  return () => (result ??= action());
};

/**
 * A lease of a pooled session. A class rather than a closure over `#shared`'s scope: every held
 * lock keeps its lease, and that scope holds the pool key, the servers and the settings.
 */
class PooledLease implements SessionLease {
  #released: Promise<void> | undefined;

  constructor(
    readonly session: ZkSession,
    private readonly entry: Entry,
    private readonly letGo: (entry: Entry, session: ZkSession) => Promise<void>,
  ) {}

  release(): Promise<void> {
    return (this.#released ??= this.letGo(this.entry, this.session));
  }
}

const isOver = (session: ZkSession): boolean => session.state === 'lost' || session.state === 'closed';

/** Same servers (in any order), same timeout, same credentials (and same owner, if any): same session. */
const poolKey = (servers: ResolvedServers, settings: SessionSettings, owner: string | undefined): string =>
  JSON.stringify([
    servers.servers.map(({ host, port }) => `${host}:${port}`).sort(),
    settings.sessionTimeout,
    settings.auth.map(({ scheme, id }) => [scheme, id]),
    owner ?? null,
  ]);

interface Prepared {
  readonly servers: ResolvedServers;
  readonly settings: SessionSettings;
  readonly lingerMs: number;
}

const checkOwner = (owner: unknown): E.Either<ZkFailure, SessionOptions['sessionOwner']> =>
  owner === undefined || typeof owner === 'string' || (typeof owner === 'object' && owner !== null)
    ? E.right(owner as SessionOptions['sessionOwner'])
    : E.left(zkFailure('BAD_ARGUMENTS', `sessionOwner: expected an object or a string, got ${typeof owner}`));

/** The options' checks, synchronous: they run on every lease (every lock attempt). */
const checkOptions = (options: SessionOptions) =>
  eitherStruct({
    settings: sessionSettings(options),
    lingerMs: sessionLinger(options),
    owner: checkOwner(options.sessionOwner),
    timeoutMs: locatorTimeout(options),
  });

/**
 * Checks the options and finds the servers: the part of a lease that needs no connection. Only
 * finding the servers (a 2.x locator function may be asynchronous) is a task.
 */
const prepare = (options: SessionOptions): TE.TaskEither<ZkFailure, Prepared> => {
  const checked = checkOptions(options);
  if (E.isLeft(checked)) return TE.left(checked.left);
  const { settings, lingerMs, timeoutMs } = checked.right;
  return pipe(
    resolveServers(options.serverLocator, { timeoutMs }),
    TE.bimap(
      (error) => zkFailure('BAD_ARGUMENTS', error.message),
      (servers) => ({ servers, settings, lingerMs }),
    ),
  );
};

/**
 * Sessions shared by reference-counted leases, keyed by (servers, session timeout, credentials):
 * a thousand locks of one process cost one ZooKeeper session. When the last lease is released the
 * session lingers (`sessionLingerMs`) for the next lease, without keeping the process alive, so
 * that an unlock followed by a lock does not reconnect. A lost session leaves the pool at once, so
 * the next lease gets a fresh one. `connectionPerLock` leases get a session of their own: one per
 * `sessionOwner` (which lingers the same way), or a new one per lease without an owner.
 * Other settings (spinDelay, connectTimeoutMs, sessionLingerMs) are those of the lease that opened
 * the session.
 */
export class SessionPool {
  readonly #entries = new Map<string, Entry>();
  /** Lingering sessions, closed when the process is about to exit. */
  readonly #lingering = new Map<Entry, ZkSession>();
  readonly #ownerIds = new WeakMap<object, number>();
  #nextOwnerId = 0;
  /**
   * The pool key `leaseNow` finds for an options object (none: bad options or a locator function),
   * worked out once per object. A lock object keeps one options object for all its attempts, and
   * checking and keying it again cost more than the rest of taking the lease.
   */
  readonly #keysNow = new WeakMap<SessionOptions, O.Option<string>>();
  /** The window of each shared session's key (see `SessionWindow`); as few as the process has configurations. */
  readonly #windows = new Map<string, SessionWindow>();

  /** Sessions in the pool (open, opening or lingering); those of owner-less `connectionPerLock` leases are not counted. */
  get size(): number {
    return this.#entries.size;
  }

  lease(options: SessionOptions): TE.TaskEither<ZkFailure, SessionLease> {
    return pipe(
      prepare(options),
      TE.chain(({ servers, settings, lingerMs }) => {
        if (options.connectionPerLock !== true)
          return this.#shared(poolKey(servers, settings, undefined), servers, settings, lingerMs);
        const owner = options.sessionOwner;
        return owner === undefined
          ? this.#unshared(servers, settings)
          : this.#shared(poolKey(servers, settings, this.#ownerKey(owner)), servers, settings, lingerMs);
      }),
    );
  }

  /**
   * A lease of a live pooled session for `options`, when there is one and nothing needs waiting
   * for (a connect string or a list of servers, not a locator function); none otherwise, and
   * `lease` gives the answer. A lock attempt on a warm pool starts without a connect step.
   */
  leaseNow(options: SessionOptions): O.Option<SessionLease> {
    const key = this.#keyNowOf(options);
    if (O.isNone(key)) return O.none;
    const entry = this.#entries.get(key.value);
    const session = entry?.session;
    if (entry === undefined || session === undefined || session.state !== 'live') return O.none;
    entry.refs += 1;
    this.#stopLingering(entry);
    return O.some(this.#leaseOf(entry, session));
  }

  /**
   * The window the lock operations on `options`' shared session go through, or none: a session of
   * its own (`connectionPerLock`) needs none, and a locator function's servers are not known yet.
   * The same window outlives the sessions of its key, so a reconnect does not reset who is next.
   */
  windowNow(options: SessionOptions): SessionWindow | undefined {
    if (options.connectionPerLock === true) return undefined;
    const key = this.#keyNowOf(options);
    if (O.isNone(key)) return undefined;
    let window = this.#windows.get(key.value);
    if (window === undefined) this.#windows.set(key.value, (window = new SessionWindow()));
    return window;
  }

  /** Closes every pooled session (for shutdown and tests); leases already given out see `lost` (`closed`). */
  async close(): Promise<void> {
    const entries = [...this.#entries.values()];
    this.#entries.clear();
    for (const entry of entries) this.#stopLingering(entry);
    await Promise.all(
      entries.map(async (entry) => {
        const opened = await entry.opened;
        if (E.isRight(opened)) await opened.right.close();
      }),
    );
  }

  #keyNowOf(options: SessionOptions): O.Option<string> {
    let key = this.#keysNow.get(options);
    if (key === undefined) this.#keysNow.set(options, (key = this.#keyNow(options)));
    return key;
  }

  #keyNow(options: SessionOptions): O.Option<string> {
    const owner = options.sessionOwner;
    if (options.connectionPerLock === true && owner === undefined) return O.none;
    const checked = checkOptions(options);
    const servers = resolveServersNow(options.serverLocator);
    if (E.isLeft(checked) || O.isNone(servers)) return O.none;
    const ownerKey =
      options.connectionPerLock === true && owner !== undefined ? this.#ownerKey(owner) : undefined;
    return O.some(poolKey(servers.value, checked.right.settings, ownerKey));
  }

  #ownerKey(owner: object | string): string {
    if (typeof owner === 'string') return `name:${owner}`;
    let id = this.#ownerIds.get(owner);
    if (id === undefined) this.#ownerIds.set(owner, (id = ++this.#nextOwnerId));
    return `object:${id}`;
  }

  #unshared(servers: ResolvedServers, settings: SessionSettings): TE.TaskEither<ZkFailure, SessionLease> {
    return pipe(
      ZkSession.open(servers, settings),
      TE.map((session) => ({ session, release: once(() => session.close()) })),
    );
  }

  #shared(
    key: string,
    servers: ResolvedServers,
    settings: SessionSettings,
    lingerMs: number,
  ): TE.TaskEither<ZkFailure, SessionLease> {
    return async () => {
      const entry = this.#entries.get(key) ?? this.#open(key, servers, settings, lingerMs);
      entry.refs += 1;
      this.#stopLingering(entry);
      const opened = await entry.opened;
      if (E.isLeft(opened)) {
        entry.refs -= 1;
        return opened;
      }
      const session = opened.right;
      if (isOver(session)) {
        // Lost a moment ago (its listeners have not run yet): never hand out a dead session.
        entry.refs -= 1;
        this.#forget(entry);
        return this.#shared(key, servers, settings, lingerMs)();
      }
      return E.right(this.#leaseOf(entry, session));
    };
  }

  /** A lease of `entry`'s session, already counted in `entry.refs`. */
  #leaseOf(entry: Entry, session: ZkSession): SessionLease {
    session.ref();
    return new PooledLease(session, entry, this.#release);
  }

  /** Bound once: every lease of the pool calls it. */
  readonly #release = (entry: Entry, session: ZkSession): Promise<void> => {
    entry.refs -= 1;
    if (entry.refs > 0) return Promise.resolve();
    // Only a live session may linger: a suspended one (its lock may have just been declared lost by
    // the same deadline) would be handed to the next lease only to be lost under it.
    if (entry.lingerMs === 0 || session.state !== 'live' || this.#entries.get(entry.key) !== entry) {
      this.#forget(entry);
      return session.close();
    }
    session.unref();
    entry.linger = setTimeout(() => this.#closeLingering(entry, session), entry.lingerMs);
    entry.linger.unref();
    if (this.#lingering.size === 0) process.on('beforeExit', this.#closeAllLingering);
    this.#lingering.set(entry, session);
    return Promise.resolve();
  };

  #open(key: string, servers: ResolvedServers, settings: SessionSettings, lingerMs: number): Entry {
    const entry: Entry = {
      key,
      opened: ZkSession.open(servers, settings)(),
      lingerMs,
      refs: 0,
      session: undefined,
      linger: undefined,
    };
    this.#entries.set(key, entry);
    void entry.opened.then((opened) => {
      if (E.isLeft(opened)) {
        this.#forget(entry);
        return;
      }
      entry.session = opened.right;
      opened.right.subscribe((event) => {
        if (event.type === 'lost') this.#forget(entry);
        // Nobody needs a lingering session whose connection falters; its reconnect would hold the process.
        else if (event.type === 'suspended' && entry.linger !== undefined)
          this.#closeLingering(entry, opened.right);
      });
    });
    return entry;
  }

  #closeLingering(entry: Entry, session: ZkSession): void {
    this.#forget(entry);
    void session.close();
  }

  /** Bound once: the `beforeExit` listener while sessions linger (it runs when nothing else keeps the loop busy). */
  readonly #closeAllLingering = (): void => {
    for (const [entry, session] of [...this.#lingering]) this.#closeLingering(entry, session);
  };

  #stopLingering(entry: Entry): void {
    clearTimeout(entry.linger);
    entry.linger = undefined;
    if (this.#lingering.delete(entry) && this.#lingering.size === 0)
      process.off('beforeExit', this.#closeAllLingering);
  }

  #forget(entry: Entry): void {
    this.#stopLingering(entry);
    if (this.#entries.get(entry.key) === entry) this.#entries.delete(entry.key);
  }
}

/** The process-wide pool every lock uses unless told otherwise. */
export const defaultPool = new SessionPool();

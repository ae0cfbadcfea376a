import { zkFailure, type ZkFailure } from '@zk-lock/core';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { resolveServers, type ResolvedServers } from './locator.js';
import { locatorTimeout, sessionSettings, type SessionOptions } from './options.js';
import { ZkSession, type SessionSettings } from './session.js';

/** A share of a session. The session closes when its last lease is released. */
export interface SessionLease {
  readonly session: ZkSession;
  /** Lets go of the session; the last lease closes it (resolves when closed). Idempotent. */
  readonly release: () => Promise<void>;
}

interface Entry {
  readonly opened: Promise<E.Either<ZkFailure, ZkSession>>;
  refs: number;
}

const once = (action: () => Promise<void>): (() => Promise<void>) => {
  let result: Promise<void> | undefined;
  return () => (result ??= action());
};

const isOver = (session: ZkSession): boolean => session.state === 'lost' || session.state === 'closed';

/** Same servers (in any order), same timeout, same credentials: same session. */
const poolKey = (servers: ResolvedServers, settings: SessionSettings): string =>
  JSON.stringify([
    servers.servers.map(({ host, port }) => `${host}:${port}`).sort(),
    settings.sessionTimeout,
    settings.auth.map(({ scheme, id }) => [scheme, id]),
  ]);

/** Checks the options and finds the servers: the part of a lease that needs no connection. */
const prepare = (
  options: SessionOptions,
): TE.TaskEither<ZkFailure, { servers: ResolvedServers; settings: SessionSettings }> =>
  pipe(
    TE.fromEither(sessionSettings(options)),
    TE.bindTo('settings'),
    TE.bind('timeoutMs', () => TE.fromEither(locatorTimeout(options))),
    TE.bind('servers', ({ timeoutMs }) =>
      pipe(
        resolveServers(options.serverLocator, { timeoutMs }),
        TE.mapLeft((error) => zkFailure('BAD_ARGUMENTS', error.message)),
      ),
    ),
  );

/**
 * Sessions shared by reference-counted leases, keyed by (servers, session timeout, credentials):
 * a thousand locks of one process cost one ZooKeeper session. A lost session leaves the pool at
 * once, so the next lease gets a fresh one; `connectionPerLock` leases get a session of their own.
 * Other settings (spinDelay, connectTimeoutMs) are those of the lease that opened the session.
 */
export class SessionPool {
  readonly #entries = new Map<string, Entry>();

  /** Sessions in the pool (open or opening); unshared sessions are not counted. */
  get size(): number {
    return this.#entries.size;
  }

  lease(options: SessionOptions): TE.TaskEither<ZkFailure, SessionLease> {
    return pipe(
      prepare(options),
      TE.chain(({ servers, settings }) =>
        options.connectionPerLock === true
          ? this.#unshared(servers, settings)
          : this.#shared(servers, settings),
      ),
    );
  }

  /** Closes every pooled session (for shutdown and tests); leases already given out see `lost` (`closed`). */
  async close(): Promise<void> {
    const entries = [...this.#entries.values()];
    this.#entries.clear();
    await Promise.all(
      entries.map(async (entry) => {
        const opened = await entry.opened;
        if (E.isRight(opened)) await opened.right.close();
      }),
    );
  }

  #unshared(servers: ResolvedServers, settings: SessionSettings): TE.TaskEither<ZkFailure, SessionLease> {
    return pipe(
      ZkSession.open(servers, settings),
      TE.map((session) => ({ session, release: once(() => session.close()) })),
    );
  }

  #shared(servers: ResolvedServers, settings: SessionSettings): TE.TaskEither<ZkFailure, SessionLease> {
    return async () => {
      const key = poolKey(servers, settings);
      const entry = this.#entries.get(key) ?? this.#open(key, servers, settings);
      entry.refs += 1;
      const opened = await entry.opened;
      if (E.isLeft(opened)) {
        entry.refs -= 1;
        return opened;
      }
      const session = opened.right;
      if (isOver(session)) {
        // Lost a moment ago (its listeners have not run yet): never hand out a dead session.
        entry.refs -= 1;
        this.#forget(key, entry);
        return this.#shared(servers, settings)();
      }
      const release = once(() => {
        entry.refs -= 1;
        if (entry.refs > 0) return Promise.resolve();
        this.#forget(key, entry);
        return session.close();
      });
      return E.right({ session, release });
    };
  }

  #open(key: string, servers: ResolvedServers, settings: SessionSettings): Entry {
    const entry: Entry = { opened: ZkSession.open(servers, settings)(), refs: 0 };
    this.#entries.set(key, entry);
    void entry.opened.then((opened) => {
      if (E.isLeft(opened)) this.#forget(key, entry);
      else
        opened.right.subscribe((event) => {
          if (event.type === 'lost') this.#forget(key, entry);
        });
    });
    return entry;
  }

  #forget(key: string, entry: Entry): void {
    if (this.#entries.get(key) === entry) this.#entries.delete(key);
  }
}

/** The process-wide pool every lock uses unless told otherwise. */
export const defaultPool = new SessionPool();

import type { ZkFailure } from '@zk-lock/core';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { SessionOptions } from './options.js';
import { defaultPool, type SessionPool } from './pool.js';
import type { ZkSession } from './session.js';

/**
 * Runs `use` on a session leased for the occasion and lets go of it afterwards, whatever the
 * outcome: for reads outside the lock machine (2.x `checkLock`, listing contenders).
 */
export const withSession = <A>(
  options: SessionOptions & { readonly pool?: SessionPool },
  use: (session: ZkSession) => TE.TaskEither<ZkFailure, A>,
): TE.TaskEither<ZkFailure, A> =>
  TE.bracket(
    (options.pool ?? defaultPool).lease(options),
    (lease) => use(lease.session),
    (lease) => TE.fromTask(() => lease.release()),
  );

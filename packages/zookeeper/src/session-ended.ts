import { zkFailure, type ZkFailure } from '@zk-lock/core';
import type { ZkSession } from './session.js';

/**
 * How a request fails on a session that has ended, as the session's own requests fail; `undefined`
 * while it lives. For requests sent on the session's client directly.
 */
export const endedFailure = (session: ZkSession, path: string): ZkFailure | undefined => {
  const state = session.state;
  if (state === 'closed')
    return zkFailure('CLOSED', `session 0x${session.sessionId} is closed (${path})`, path);
  if (state === 'lost')
    return zkFailure('SESSION_EXPIRED', `session 0x${session.sessionId} is lost (${path})`, path);
  return undefined;
};

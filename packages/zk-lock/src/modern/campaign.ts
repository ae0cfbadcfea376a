import { checkLeaderValue } from '@zk-lock/core';
import type { ZkLockPort } from '@zk-lock/zookeeper';
import * as E from 'fp-ts/lib/Either.js';
import { ZookeeperLockArgumentError, ZookeeperLockLostError } from '../errors.js';
import { acquireLock, type Track } from './acquisition.js';
import { Leadership } from './leadership.js';
import type { CampaignOptions } from './options.js';
import { acquireRequest, type AcquireRequest } from './validate.js';

/** One campaign of the modern API: a mutex acquisition on the election's key, with a value. */

export interface CampaignRequest extends AcquireRequest {
  readonly value: string | undefined;
}

/** `campaign`'s options with their defaults; throws a `ZookeeperLockArgumentError` naming a malformed one. */
export const campaignRequest = (options: unknown): CampaignRequest => {
  if (options === undefined || typeof options !== 'object' || options === null)
    return { ...acquireRequest(options, 'exclusive'), value: undefined };
  const { value, timeout, signal } = options as Record<keyof CampaignOptions, unknown>;
  const request = acquireRequest({ timeout, signal }, 'exclusive');
  if (value === undefined) return { ...request, value: undefined };
  const checked = checkLeaderValue(value);
  if (E.isLeft(checked)) throw new ZookeeperLockArgumentError('value', checked.left.message);
  return { ...request, value: checked.right };
};

export const campaign = async (
  openPort: () => ZkLockPort,
  target: { readonly key: string; readonly parentPath: string },
  request: CampaignRequest,
  track: Track,
): Promise<Leadership> => {
  let port: ZkLockPort | undefined;
  const lock = await acquireLock(
    () => (port = openPort()),
    { ...target, kind: 'exclusive', value: request.value },
    request,
    track,
  );
  const session = port?.session();
  if (session === undefined) {
    // Held, yet its port let go of the session: the session ended right after the acquisition.
    await lock.release().catch(() => undefined);
    throw new ZookeeperLockLostError(`ZooKeeper session lost on ${target.parentPath}`, target.parentPath);
  }
  return new Leadership(lock, session, target.parentPath, request.value, track);
};

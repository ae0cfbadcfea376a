import type { OwnerData } from '@zk-lock/core';

/** Who owns a node, for people: `web-1 pid 4242`, or `unknown` for a 2.x or foreign node. */
export const ownerText = (owner: OwnerData | undefined, unknown: string): string =>
  owner === undefined ? unknown : `${owner.hostname} pid ${owner.pid}`;

/** Who owns a node, for scripts: its creation time as an ISO string; a 2.x or foreign node's as `null`. */
export const ownerJson = (owner: OwnerData | undefined) =>
  owner === undefined
    ? null
    : {
        hostname: owner.hostname,
        pid: owner.pid,
        lockId: owner.lockId,
        createdAt: new Date(owner.createdAt).toISOString(),
      };

import * as O from 'fp-ts/lib/Option.js';
import * as t from 'io-ts';

/**
 * What a lock node's data says about its owner. New clients store it as JSON; zk-lock 2.x stored
 * the string `lock`, and foreign tools may store anything, so decoding yields `none` (an unknown
 * owner) instead of failing.
 */
export interface OwnerData {
  /** Unique id of the acquisition attempt; finds our node again after a lost create reply. */
  readonly lockId: string;
  readonly hostname: string;
  readonly pid: number;
  /** When the node was created, in ms since the epoch (the shell's clock). */
  readonly createdAt: number;
}

/** Decodes owner JSON, dropping unknown keys (newer clients may add some). */
export const OwnerDataCodec: t.Decoder<unknown, OwnerData> = t.exact(
  t.type({ lockId: t.string, hostname: t.string, pid: t.number, createdAt: t.number }),
);

/** The node data to store: a JSON object with exactly the four owner fields. */
export const encodeOwnerData = (owner: OwnerData): string =>
  JSON.stringify({
    lockId: owner.lockId,
    hostname: owner.hostname,
    pid: owner.pid,
    createdAt: owner.createdAt,
  });

const parseJson = (data: string): unknown => {
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
};

/** The owner a node's data names, or `none` for 2.x nodes (`lock`) and anything else foreign. */
export const decodeOwnerData = (data: string): O.Option<OwnerData> =>
  O.fromEither(OwnerDataCodec.decode(parseJson(data)));

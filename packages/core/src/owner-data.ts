import * as E from 'fp-ts/lib/Either.js';
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
  /** What a leader publishes in its node (e.g. its address); absent on the nodes of plain locks. */
  readonly value?: string;
}

const RequiredOwner = t.exact(
  t.type({ lockId: t.string, hostname: t.string, pid: t.number, createdAt: t.number }),
);

/** The `value` of owner JSON, when it is a string. */
const valueOf = (json: unknown): string | undefined => {
  const value = (json as { value?: unknown }).value;
  return typeof value === 'string' ? value : undefined;
};

/**
 * Decodes owner JSON, dropping unknown keys (newer clients may add some). A `value` that is not a
 * string is dropped too rather than failing the whole owner: the recovery after a lost create
 * reply finds our node by its `lockId`, and must keep finding it whatever else a node carries.
 */
export const OwnerDataCodec: t.Decoder<unknown, OwnerData> = new t.Type<OwnerData, OwnerData, unknown>(
  'OwnerData',
  (u): u is OwnerData => {
    if (!RequiredOwner.is(u)) return false;
    const value = (u as { value?: unknown }).value;
    return value === undefined || typeof value === 'string';
  },
  (u, context) =>
    E.map((owner: OwnerData) => {
      const value = valueOf(u);
      return value === undefined ? owner : { ...owner, value };
    })(RequiredOwner.validate(u, context)),
  t.identity,
);

/**
 * The node data to store: a JSON object with the four owner fields, and `value` only when there is
 * one, so the nodes of plain locks keep exactly the layout every 3.x reader parses (readers that
 * predate `value` drop it as an unknown key).
 */
export const encodeOwnerData = (owner: OwnerData): string =>
  // JSON.stringify leaves out a key whose value is undefined.
  JSON.stringify({
    lockId: owner.lockId,
    hostname: owner.hostname,
    pid: owner.pid,
    createdAt: owner.createdAt,
    value: owner.value,
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

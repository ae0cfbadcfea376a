/**
 * A znode's Stat with the 8-byte fields decoded: zxids as bigint (they are the fencing token's
 * raw material and must not lose precision), the ephemeral owner as the session id's hex form.
 */
export interface NodeStat {
  readonly czxid: bigint;
  readonly mzxid: bigint;
  readonly pzxid: bigint;
  /** Creation and modification times, ms since the epoch (server clock). */
  readonly ctime: number;
  readonly mtime: number;
  readonly version: number;
  readonly cversion: number;
  readonly aversion: number;
  /** 16 lowercase hex digits; `0000000000000000` for a persistent node. */
  readonly ephemeralOwner: string;
  readonly dataLength: number;
  readonly numChildren: number;
}

/** 8 bytes as 16 lowercase hex digits, the form of session ids and ephemeral owners. */
export const hex64 = (bytes: Buffer): string => bytes.toString('hex').padStart(16, '0');

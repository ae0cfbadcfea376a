/** Messages between election-ensemble.test.ts and its campaigner processes (IPC). */

/** Milliseconds on `CLOCK_MONOTONIC`, which every process of the machine shares: one timeline. */
export const monotonicNow = (): number => Number(process.hrtime.bigint()) / 1e6;

export type ToCampaigner =
  | {
      readonly type: 'campaign';
      readonly connect: string;
      readonly prefix: string;
      readonly key: string;
      readonly sessionTimeout: number;
      readonly value: string;
    }
  | { readonly type: 'resign' };

export type FromCampaigner =
  | { readonly type: 'ready'; readonly pid: number }
  | { readonly type: 'leading'; readonly at: number; readonly node: string; readonly token: string }
  | { readonly type: 'lost'; readonly at: number }
  | { readonly type: 'resigned'; readonly at: number }
  /**
   * The first tick of the leader's work timer after its process was stopped: `isLeading` inside it,
   * and whether `lostSignal` had aborted once that callback returned.
   */
  | {
      readonly type: 'resumed';
      readonly at: number;
      readonly isLeading: boolean;
      readonly abortedAfterTick: boolean;
    }
  | { readonly type: 'failed'; readonly error: string };

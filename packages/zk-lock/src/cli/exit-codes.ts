/**
 * The exit codes of `zk-lock`. `exec` otherwise exits with its command's own code (128 + signal
 * number when the command died of a signal, as shells report it). The lock outcomes follow
 * GNU `timeout(1)` (124..127) and sysexits.h (64, 75) so that scripts can tell them apart from most
 * commands' own codes; a command that itself exits with one of them is indistinguishable, as with
 * `timeout(1)`.
 */
export const ExitCode = {
  /** Success (`status`, `demo`, `--help`; `leader` when someone leads). */
  OK: 0,
  /** `leader`: nobody leads the election (as `grep` finds nothing). */
  NO_LEADER: 1,
  /** Bad usage: unknown option, missing key or command, malformed number or key (sysexits EX_USAGE). */
  USAGE: 64,
  /** `--fail-immediate` and the lock is held by someone else (sysexits EX_TEMPFAIL: try again later). */
  ALREADY_LOCKED: 75,
  /** The lock (`elect`: the leadership) was lost while the command ran; the command was stopped. */
  LOST: 123,
  /** The lock was not acquired (`elect`: leadership not won) within `--timeout` (as `timeout(1)`). */
  TIMEOUT: 124,
  /** zk-lock itself failed: ZooKeeper unreachable, refused a request, or an unexpected error. */
  FAILURE: 125,
  /** The command was found but could not be run (as shells and `timeout(1)`). */
  CANNOT_EXECUTE: 126,
  /** The command was not found (as shells and `timeout(1)`). */
  NOT_FOUND: 127,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

import {
  ZookeeperLockAlreadyLockedError,
  ZookeeperLockArgumentError,
  ZookeeperLockConfigError,
  ZookeeperLockLostError,
  ZookeeperLockTimeoutError,
} from '../errors.js';
import { ExitCode } from './exit-codes.js';
import { waitingFor, type Subject } from './subject.js';

/** How a failed lock operation ends the CLI: its exit code and one readable line. */
export interface Failure {
  readonly code: ExitCode;
  readonly message: string;
}

export const describeFailure = (error: unknown, key: string, subject: Subject = 'lock'): Failure => {
  if (error instanceof ZookeeperLockTimeoutError)
    return {
      code: ExitCode.TIMEOUT,
      message: `timed out after ${error.timeout} ms ${waitingFor(subject, key)}`,
    };
  if (error instanceof ZookeeperLockAlreadyLockedError)
    return { code: ExitCode.ALREADY_LOCKED, message: `lock '${key}' is already held (--fail-immediate)` };
  if (error instanceof ZookeeperLockConfigError || error instanceof ZookeeperLockArgumentError)
    return { code: ExitCode.USAGE, message: error.message };
  if (error instanceof ZookeeperLockLostError)
    return { code: ExitCode.LOST, message: `lost the ZooKeeper session while ${waitingFor(subject, key)}` };
  return { code: ExitCode.FAILURE, message: error instanceof Error ? error.message : String(error) };
};

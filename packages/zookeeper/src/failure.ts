import { zkFailure, type ZkErrorCode, type ZkFailure } from '@zk-lock/core';
import zookeeper from '@zk-lock/node-zookeeper-client';

/** The client's exceptions and thrown argument errors as typed `ZkFailure` values. */

const { Exception } = zookeeper;

const CODES: ReadonlyMap<number, ZkErrorCode> = new Map([
  [Exception.NO_NODE, 'NO_NODE'],
  [Exception.NODE_EXISTS, 'NODE_EXISTS'],
  [Exception.NOT_EMPTY, 'NOT_EMPTY'],
  [Exception.CONNECTION_LOSS, 'CONNECTION_LOSS'],
  [Exception.SESSION_EXPIRED, 'SESSION_EXPIRED'],
  [Exception.OPERATION_TIMEOUT, 'OPERATION_TIMEOUT'],
  [Exception.NO_AUTH, 'NO_AUTH'],
  [Exception.AUTH_FAILED, 'AUTH_FAILED'],
  [Exception.INVALID_ACL, 'INVALID_ACL'],
  [Exception.BAD_ARGUMENTS, 'BAD_ARGUMENTS'],
  [Exception.BAD_VERSION, 'BAD_VERSION'],
  [Exception.UNIMPLEMENTED, 'UNIMPLEMENTED'],
]);

/**
 * Codes the client makes up locally (the request may never have reached a server): such a reply
 * is no evidence that the server is alive.
 */
const LOCAL_CODES: ReadonlySet<number> = new Set([
  Exception.CONNECTION_LOSS,
  Exception.SESSION_EXPIRED,
  Exception.AUTH_FAILED,
  Exception.OPERATION_TIMEOUT,
]);

const isZkException = (error: unknown): error is zookeeper.Exception => error instanceof Exception;

/** The client validates arguments with `assert` and throws synchronously. */
const isArgumentError = (error: unknown): error is Error =>
  error instanceof Error && (error as { code?: unknown }).code === 'ERR_ASSERTION';

const where = (path: string | undefined): string => (path === undefined ? '' : ` (${path})`);

/** Maps whatever a client call threw or called back with to a `ZkFailure` naming `path`. */
export const toZkFailure = (error: unknown, path?: string): ZkFailure => {
  if (isZkException(error)) {
    const code = CODES.get(error.code) ?? 'UNKNOWN';
    return zkFailure(code, `ZooKeeper ${error.name}[${error.code}]${where(path)}`, path);
  }
  if (isArgumentError(error)) return zkFailure('BAD_ARGUMENTS', `${error.message}${where(path)}`, path);
  const message = error instanceof Error ? error.message : String(error);
  return zkFailure('UNKNOWN', `${message}${where(path)}`, path);
};

/** Did a server produce this reply? (`null` = success.) Local codes and thrown errors did not. */
export const answeredByServer = (error: unknown): boolean =>
  error === null || error === undefined || (isZkException(error) && !LOCAL_CODES.has(error.code));

/** A connection loss: the socket dropped under the request. */
export const isConnectionLoss = (error: unknown): boolean =>
  isZkException(error) && error.code === Exception.CONNECTION_LOSS;

import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { parentAhead, parentsToCreate } from '../parents.js';
import { LOCK_PREFIX, READ_PREFIX } from '../participant.js';
import { asZkFailure, type LockPort, type ZkFailure } from '../port.js';
import type { LockContext, RequestEffect, RequestEvent, RequestName } from './types.js';

/**
 * The machine's ZooKeeper requests. The entry action `request` of the state that waits for an
 * answer carries the request as its params (`RequestEffect`, made here from the context); the
 * shell sends it (`portCall`) and hands the answer back as `DONE.<request>` or `FAILED.<request>`
 * (`answerEvent`), unless a later request superseded it (see `LockEffects`).
 */

const CONNECT: RequestEffect = { request: 'connect' };

/** The request `name` of the attempt in `context`, as the `request` action's params. */
export const requestEffect = (name: RequestName, context: LockContext): RequestEffect => {
  const { parentPath } = context.attempt;
  switch (name) {
    case 'connect':
      return CONNECT;
    case 'createSequentialAndList':
      return {
        request: name,
        parentPath,
        prefix: context.attempt.kind === 'read' ? READ_PREFIX : LOCK_PREFIX,
        data: context.attempt.nodeData,
        parentAhead: parentAhead(context.attempt.parent, context.attempts),
      };
    case 'createParents':
      return { request: name, path: parentPath, mode: parentsToCreate(context.attempt.parent) };
    case 'listChildren':
    case 'listChildrenWithOwners':
      return { request: name, parentPath };
    case 'remove':
      return { request: name, path: context.nodePath ?? '' };
  }
};

/** The port call that sends `effect`. */
export const portCall = (port: LockPort, effect: RequestEffect): TE.TaskEither<ZkFailure, unknown> => {
  switch (effect.request) {
    case 'connect':
      return port.connect();
    case 'createSequentialAndList':
      return port.createSequentialAndList(effect.parentPath, effect.prefix, effect.data, effect.parentAhead);
    case 'createParents':
      return port.createParents(effect.path, effect.mode);
    case 'listChildren':
      return port.listChildren(effect.parentPath);
    case 'listChildrenWithOwners':
      return port.listChildrenWithOwners(effect.parentPath);
    case 'remove':
      return port.remove(effect.path);
  }
};

/** The event that hands the machine `answer`, the port's answer to `request`. */
export const answerEvent = (request: RequestName, answer: E.Either<unknown, unknown>): RequestEvent =>
  (E.isRight(answer)
    ? { type: `DONE.${request}`, output: answer.right }
    : { type: `FAILED.${request}`, failure: asZkFailure(answer.left) }) as RequestEvent;

import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { AnyActorRef } from 'xstate';
import { LOCK_PREFIX, READ_PREFIX } from '../participant.js';
import { asZkFailure, type ZkFailure } from '../port.js';
import type { LockContext, RequestEvent, RequestName } from './types.js';

/**
 * The machine's ZooKeeper requests, sent by the entry action of the state that waits for the
 * answer, which comes back as `DONE.<request>` or `FAILED.<request>` (with the port's `ZkFailure`).
 *
 * Why an action and not an invoked actor per request: a child actor per request (created,
 * registered, started, stopped, its done event relayed) cost more than the rest of an
 * uncontended acquisition's interpretation. What invocation gave for free is kept here: an
 * answer reaches the machine only while its request is the actor's latest one and the actor runs,
 * just as a stopped child's result never does. Every state that handles a request's answers sends
 * that request on entry, so an answer from a state the machine has left is never taken for the
 * answer of the state it is in.
 */

/** The number of each actor's latest request. */
const latest = new WeakMap<AnyActorRef, number>();

/** The port call behind each request, from the attempt's context. */
const portCall = (context: LockContext, request: RequestName): TE.TaskEither<ZkFailure, unknown> => {
  const { port, parentPath } = context;
  switch (request) {
    case 'connect':
      return port.connect();
    case 'createSequentialAndList':
      return port.createSequentialAndList(
        parentPath,
        context.kind === 'read' ? READ_PREFIX : LOCK_PREFIX,
        context.nodeData,
      );
    case 'createParents':
      return port.createParents(parentPath);
    case 'listChildren':
      return port.listChildren(parentPath);
    case 'listChildrenWithOwners':
      return port.listChildrenWithOwners(parentPath);
    case 'remove':
      return port.remove(context.nodePath ?? '');
  }
};

const answerEvent = (request: RequestName, answer: E.Either<unknown, unknown>): RequestEvent =>
  (E.isRight(answer)
    ? { type: `DONE.${request}`, output: answer.right }
    : { type: `FAILED.${request}`, failure: asZkFailure(answer.left) }) as RequestEvent;

/** Sends `request` for the actor `self`; its answer is delivered as an event unless superseded. */
export const sendRequest = (context: LockContext, self: AnyActorRef, request: RequestName): void => {
  const id = (latest.get(self) ?? 0) + 1;
  latest.set(self, id);
  const deliver = (answer: E.Either<unknown, unknown>): void => {
    if (latest.get(self) === id && self.getSnapshot().status === 'active')
      self.send(answerEvent(request, answer));
  };
  portCall(context, request)().then(deliver, (error: unknown) => deliver(E.left(error)));
};

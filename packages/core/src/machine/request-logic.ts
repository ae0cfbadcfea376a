import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { PromiseActorLogic } from 'xstate';
import type { ZkFailure } from '../port.js';

/**
 * Actor logic of one port request: xstate's `fromPromise` without the `AbortController` it makes
 * for every actor. A port request cannot be aborted (the machine drops the answer when it left the
 * invoking state), and a controller per request was the largest single cost of an uncontended
 * acquisition after the actors themselves. Like `fromPromise`, the actor ends `done` with the
 * answer as output, or in `error` with the port's `ZkFailure` (so every `xstate.error.actor.*`
 * event carries a typed failure).
 */

const ANSWERED = 'zk-lock.request.answered';

export const fromRequest = <Output, Input>(
  request: (input: Input) => TE.TaskEither<ZkFailure, Output>,
): PromiseActorLogic<Output, Input> => ({
  config: request,
  transition: (snapshot, event) => {
    if (snapshot.status !== 'active') return snapshot;
    if (event.type === ANSWERED) {
      const answer = event['answer'] as E.Either<unknown, Output>;
      return E.isRight(answer)
        ? { ...snapshot, status: 'done', output: answer.right, input: undefined }
        : { ...snapshot, status: 'error', error: answer.left, input: undefined };
    }
    if (event.type === 'xstate.stop') return { ...snapshot, status: 'stopped', input: undefined };
    return snapshot;
  },
  start: (snapshot, { self }) => {
    if (snapshot.status !== 'active') return;
    const answered = (answer: E.Either<unknown, Output>): void => {
      if (self.getSnapshot().status === 'active') self.send({ type: ANSWERED, answer });
    };
    void request(snapshot.input as Input)().then(answered, (error: unknown) => answered(E.left(error)));
  },
  getInitialSnapshot: (_, input) => ({ status: 'active', output: undefined, error: undefined, input }),
  getPersistedSnapshot: (snapshot) => snapshot,
  restoreSnapshot: (snapshot) =>
    snapshot as ReturnType<PromiseActorLogic<Output, Input>['getInitialSnapshot']>,
});

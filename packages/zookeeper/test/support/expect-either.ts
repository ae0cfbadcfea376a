import * as E from 'fp-ts/lib/Either.js';

/** The Right of `result`, or a test failure quoting the Left. */
export const rightOf = <L, A>(result: E.Either<L, A>): A => {
  if (E.isLeft(result)) throw new Error(`expected Right, got Left ${JSON.stringify(result.left)}`);
  return result.right;
};

/** The Left of `result`, or a test failure. */
export const leftOf = <L, A>(result: E.Either<L, A>): L => {
  if (E.isRight(result)) throw new Error('expected Left, got Right');
  return result.left;
};

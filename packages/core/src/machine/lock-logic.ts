import type { ActorLogic, EmittedFrom } from 'xstate';
import { lockMachine } from './lock-machine.js';
import type { LockSnapshot } from './outcome.js';
import type { LockEvent, LockMachineInput } from './types.js';

/** The actor system type the machine's own `transition` takes (xstate does not export its name). */
type MachineSystem = Parameters<typeof lockMachine.transition>[2]['system'];

/** The snapshot of the machine without an attempt, computed once (see `lockLogic`). */
let withoutAttempt: LockSnapshot | undefined;

/**
 * The lock machine as the actor logic its engine steps: the machine's own `transition` and initial
 * snapshot, through xstate's public `ActorLogic` interface. One difference: asked for its initial
 * snapshot without input, it gives one computed once.
 *
 * Why: xstate's `transition(logic, snapshot, event)` makes a throwaway actor of `logic` on every
 * call, and making an actor computes its logic's initial snapshot, without input. For the machine
 * itself that is a whole initial step (context, entry into `idle`, its eventless transitions), the
 * largest part of a step's cost, thrown away each time (docs/state-machine.md, "Cost").
 */
export const lockLogic: ActorLogic<
  LockSnapshot,
  LockEvent,
  LockMachineInput,
  MachineSystem,
  EmittedFrom<typeof lockMachine>
> = {
  config: lockMachine.config,
  transition: (snapshot, event, scope) => lockMachine.transition(snapshot, event, scope),
  getInitialSnapshot: (scope, input) =>
    (input as LockMachineInput | undefined) === undefined
      ? (withoutAttempt ??= lockMachine.getInitialSnapshot(scope, input))
      : lockMachine.getInitialSnapshot(scope, input),
  getPersistedSnapshot: (snapshot, options) => lockMachine.getPersistedSnapshot(snapshot, options),
};

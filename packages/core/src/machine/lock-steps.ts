import { initialTransition, type ActorLogic, type AnyActorScope, type EmittedFrom } from 'xstate';
import { lockMachine } from './lock-machine.js';
import type { LockSnapshot } from './outcome.js';
import type { LockEvent, LockMachineInput } from './types.js';

/**
 * The machine's steps, as xstate's pure `initialTransition` / `transition` take them: the
 * machine's own `getInitialSnapshot` / `transition` (its `ActorLogic` methods), given an actor
 * scope whose `actionExecutor` collects the step's actions instead of executing them. A step
 * returns the next snapshot and its actions as (type, params) pairs in one flat array.
 *
 * Why not call `transition(lockMachine, ...)` itself: it makes that scope anew on every call, a
 * throwaway actor of the logic and two actor systems, which cost more than the step (and making the
 * actor computes the logic's initial snapshot, a whole step thrown away). The scope holds nothing of
 * any step (the machine spawns no children and emits nothing), so it is asked of xstate once,
 * through `initialTransition`, and every step reuses it (docs/state-machine.md, "Cost").
 */

/** The actions of the step being taken: (type, params) pairs, what the executor needs and nothing else. */
let collected: unknown[] = [];

/** xstate's scope for pure steps, with our collector as its `actionExecutor`; made on first use. */
let scope: AnyActorScope | undefined;

type MachineSystem = Parameters<typeof lockMachine.transition>[2]['system'];

/** The scope `initialTransition` gives the logic it starts: xstate's own, made for pure steps. */
const pureStepScope = (): AnyActorScope => {
  let given: AnyActorScope | undefined;
  // Started without input: the machine's context is total (see `initialContext`).
  const asking: ActorLogic<
    LockSnapshot,
    LockEvent,
    LockMachineInput | undefined,
    MachineSystem,
    EmittedFrom<typeof lockMachine>
  > = {
    config: lockMachine.config,
    transition: (snapshot) => snapshot,
    getInitialSnapshot: (stepScope, input) => {
      given = stepScope;
      return lockMachine.getInitialSnapshot(stepScope, input as LockMachineInput);
    },
    getPersistedSnapshot: (snapshot, options) => lockMachine.getPersistedSnapshot(snapshot, options),
  };
  initialTransition(asking);
  if (given === undefined) throw new Error('xstate gave initialTransition no actor scope');
  return {
    ...given,
    actionExecutor: (action) => {
      collected.push(action.type, action.params);
    },
  };
};

/** Runs one step with the shared scope and hands out the actions it collected. */
const step = (take: (stepScope: AnyActorScope) => LockSnapshot): [LockSnapshot, unknown[]] => {
  const effects: unknown[] = (collected = []);
  return [take((scope ??= pureStepScope())), effects];
};

/** `initialTransition(lockMachine, input)`. */
export const initialStep = (input: LockMachineInput): [LockSnapshot, unknown[]] =>
  step((stepScope) => lockMachine.getInitialSnapshot(stepScope, input));

/** `transition(lockMachine, snapshot, event)`. */
export const nextStep = (snapshot: LockSnapshot, event: LockEvent): [LockSnapshot, unknown[]] =>
  step((stepScope) => lockMachine.transition(snapshot, event, stepScope));

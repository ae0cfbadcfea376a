import { initialTransition, type StateValue } from 'xstate';
import { describe, expect, it } from 'vitest';
import { busyWithRequests, lockMachine } from '../src/index.js';
import { lockInput } from './support/run-lock.js';

const [idle] = initialTransition(lockMachine, { attempt: lockInput('/locks/app/job') });

/** The machine's snapshot in `value` (xstate's public `resolveState`), with its tags. */
const at = (value: StateValue, status?: 'stopped') =>
  lockMachine.resolveState({ value, context: idle.context, ...(status === undefined ? {} : { status }) });

describe('busyWithRequests: whether an attempt needs its place in a session window', () => {
  it.each<[string, StateValue]>([
    ['about to start', 'idle'],
    ['connecting', 'connecting'],
    ['creating its node', { creating: 'creatingNode' }],
    ['creating the parents', { creating: 'creatingParents' }],
    ['recovering a lost create reply', { creating: 'recovering' }],
    ['listing', { evaluating: 'listing' }],
    ['removing its node', { releasing: 'removing' }],
    ['recovering its node to remove it', { releasing: 'recovering' }],
  ])('yes while %s', (_, value) => {
    expect(busyWithRequests(at(value))).toBe(true);
  });

  it.each<[string, StateValue]>([
    ['holding', { held: 'live' }],
    ['holding, suspended', { held: 'suspended' }],
    ['waiting for a predecessor', { waiting: 'watching' }],
    ['waiting, suspended', { waiting: 'suspended' }],
    ['awaiting a reconnect to create', { creating: 'awaitingConnection' }],
    ['awaiting a reconnect to list', { evaluating: 'awaitingConnection' }],
    ['awaiting a reconnect to remove', { releasing: 'awaitingConnection' }],
  ])('no while %s', (_, value) => {
    expect(busyWithRequests(at(value))).toBe(false);
  });

  it('no once ended', () => {
    for (const outcome of [
      'released',
      'timedOut',
      'alreadyLocked',
      'cancelled',
      'lost',
      'failed',
      'destroyed',
    ])
      expect(busyWithRequests(at(outcome)), outcome).toBe(false);
    expect(busyWithRequests(at({ releasing: 'removing' }, 'stopped'))).toBe(false);
  });
});

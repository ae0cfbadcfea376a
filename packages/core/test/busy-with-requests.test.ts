import type { StateValue } from 'xstate';
import { describe, expect, it } from 'vitest';
import { busyWithRequests } from '../src/index.js';

const active = (value: StateValue) => ({ value, status: 'active' });

describe('busyWithRequests: whether an attempt needs its place in a session window', () => {
  it.each<[string, StateValue]>([
    ['about to start', 'idle'],
    ['connecting', 'connecting'],
    ['creating its node', { creating: 'creatingNode' }],
    ['creating the parents', { creating: 'creatingParents' }],
    ['recovering a lost create reply', { creating: 'recovering' }],
    ['listing', { evaluating: 'listing' }],
    ['removing its node', { releasing: 'removing' }],
  ])('yes while %s', (_, value) => {
    expect(busyWithRequests(active(value))).toBe(true);
  });

  it.each<[string, StateValue]>([
    ['holding', { held: 'live' }],
    ['holding, suspended', { held: 'suspended' }],
    ['waiting for a predecessor', { waiting: 'watching' }],
    ['awaiting a reconnect to create', { creating: 'awaitingConnection' }],
    ['awaiting a reconnect to list', { evaluating: 'awaitingConnection' }],
    ['awaiting a reconnect to remove', { releasing: 'awaitingConnection' }],
  ])('no while %s', (_, value) => {
    expect(busyWithRequests(active(value))).toBe(false);
  });

  it('no once ended', () => {
    expect(busyWithRequests({ value: 'released', status: 'done' })).toBe(false);
    expect(busyWithRequests({ value: { releasing: 'removing' }, status: 'stopped' })).toBe(false);
  });
});

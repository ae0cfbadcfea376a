import { resolveServers, type LocatorError, type ResolvedServers } from '@zk-lock/zookeeper';
import type { ServerLocator } from '@zk-lock/core';
import { describe, expect, it } from 'vitest';
import { leftOf, rightOf } from './support/expect-either.js';

const resolve = async (locator: unknown, timeoutMs?: number): Promise<ResolvedServers> =>
  rightOf(await resolveServers(locator as ServerLocator, { timeoutMs })());

const reject = async (locator: unknown, timeoutMs?: number): Promise<LocatorError> =>
  leftOf(await resolveServers(locator as ServerLocator, { timeoutMs })());

describe('resolveServers', () => {
  describe('a 2.x locator function', () => {
    it('resolves to the location it promises', async () => {
      const resolved = await resolve(() => Promise.resolve({ host: 'zk1.example', port: 2181 }));
      expect(resolved).toEqual({
        servers: [{ host: 'zk1.example', port: 2181 }],
        connectString: 'zk1.example:2181',
      });
    });

    it('accepts a port given as a string of digits, as 2.x locators often did', async () => {
      expect((await resolve(() => Promise.resolve({ host: '10.0.0.7', port: '2182' }))).connectString).toBe(
        '10.0.0.7:2182',
      );
    });

    it('is called on every resolution (a locator may move)', async () => {
      let calls = 0;
      const locator = () => Promise.resolve({ host: `zk${++calls}`, port: 2181 });
      expect((await resolve(locator)).connectString).toBe('zk1:2181');
      expect((await resolve(locator)).connectString).toBe('zk2:2181');
    });

    it('reports a rejected promise with its reason', async () => {
      const error = await reject(() => Promise.reject(new Error('consul is down')));
      expect(error).toMatchObject({ _tag: 'LocatorError', problem: 'rejected', field: 'serverLocator()' });
      expect(error.message).toContain('consul is down');
    });

    it('reports a locator that throws instead of returning a promise', async () => {
      const error = await reject(() => {
        throw new TypeError('no config');
      });
      expect(error).toMatchObject({ problem: 'threw', field: 'serverLocator()' });
      expect(error.message).toContain('no config');
    });

    it.each([
      ['undefined', undefined],
      ['a string', '127.0.0.1:2181'],
      ['a number', 2181],
      ['an array', [{ host: 'a', port: 1 }]],
      ['null', null],
    ])('reports a promise of %s as not a location', async (_, value) => {
      expect(await reject(() => Promise.resolve(value))).toMatchObject({
        problem: 'not-a-location',
        field: 'serverLocator() result',
      });
    });

    it.each([
      ['a missing host', { port: 2181 }, 'invalid-host', 'serverLocator() result.host'],
      ['an empty host', { host: '', port: 2181 }, 'invalid-host', 'serverLocator() result.host'],
      ['a host with spaces', { host: 'zk 1', port: 2181 }, 'invalid-host', 'serverLocator() result.host'],
      ['an IPv6 literal', { host: '::1', port: 2181 }, 'invalid-host', 'serverLocator() result.host'],
      ['a missing port', { host: 'zk1' }, 'invalid-port', 'serverLocator() result.port'],
      ['port 0', { host: 'zk1', port: 0 }, 'invalid-port', 'serverLocator() result.port'],
      ['port 65536', { host: 'zk1', port: 65_536 }, 'invalid-port', 'serverLocator() result.port'],
      ['a fractional port', { host: 'zk1', port: 21.81 }, 'invalid-port', 'serverLocator() result.port'],
      [
        'a non-numeric port string',
        { host: 'zk1', port: '21x' },
        'invalid-port',
        'serverLocator() result.port',
      ],
    ])('names the field for %s', async (_, location, problem, field) => {
      const error = await reject(() => Promise.resolve(location));
      expect(error).toMatchObject({ problem, field });
      expect(error.message.startsWith(`${field}: `)).toBe(true);
    });

    it('gives a timeout error, not a hang, for a locator that never settles', async () => {
      const error = await reject(() => new Promise(() => undefined), 50);
      expect(error).toMatchObject({ problem: 'timeout', field: 'serverLocator()' });
      expect(error.message).toContain('50 ms');
    });

    it('accepts a locator returning a plain location instead of a promise', async () => {
      expect((await resolve(() => ({ host: 'zk1', port: 2181 }))).connectString).toBe('zk1:2181');
    });
  });

  describe('a connect string', () => {
    it('lists every server, with the default port where none is given', async () => {
      expect(await resolve('h1:2181, h2:2182,h3')).toEqual({
        servers: [
          { host: 'h1', port: 2181 },
          { host: 'h2', port: 2182 },
          { host: 'h3', port: 2181 },
        ],
        connectString: 'h1:2181,h2:2182,h3:2181',
      });
    });

    it('rejects a chroot suffix clearly', async () => {
      const error = await reject('h1:2181,h2:2181/apps/locks');
      expect(error).toMatchObject({ problem: 'chroot', field: 'serverLocator' });
      expect(error.message).toContain('chroot');
    });

    it.each([
      ['an empty string', '', 'empty'],
      ['blanks', '   ', 'empty'],
      ['an empty entry', 'h1:2181,,h2:2181', 'invalid-host'],
      ['a bad port', 'h1:99999', 'invalid-port'],
      ['a port that is not a number', 'h1:zk', 'invalid-port'],
      ['too many colons', 'h1:2181:3', 'invalid-host'],
    ])('rejects %s', async (_, connectString, problem) => {
      expect(await reject(connectString)).toMatchObject({ problem });
    });

    it('names the entry at fault', async () => {
      expect((await reject('h1:2181,h2:x')).field).toBe('serverLocator entry 1 ("h2:x")');
    });
  });

  describe('a list of locations', () => {
    it('keeps the order given', async () => {
      expect(
        (
          await resolve([
            { host: 'b', port: 2 },
            { host: 'a', port: 1 },
          ])
        ).connectString,
      ).toBe('b:2,a:1');
    });

    it('rejects an empty list', async () => {
      expect(await reject([])).toMatchObject({ problem: 'empty' });
    });

    it('names the bad element and field', async () => {
      expect(
        await reject([
          { host: 'a', port: 1 },
          { host: 'b', port: -1 },
        ]),
      ).toMatchObject({
        problem: 'invalid-port',
        field: 'serverLocator[1].port',
      });
      expect(await reject([{ host: 'a', port: 1 }, 'b:2'])).toMatchObject({
        problem: 'not-a-location',
        field: 'serverLocator[1]',
      });
    });
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a number', 2181],
    ['an object', { host: 'h', port: 1 }],
    ['a boolean', true],
  ])('rejects %s as a locator', async (_, locator) => {
    expect(await reject(locator)).toMatchObject({ problem: 'invalid-locator', field: 'serverLocator' });
  });
});

import type Bluebird from 'bluebird';

/** Bluebird's `Promise` class, loaded on this first call. */
export declare const loadBluebird: () => typeof Bluebird;

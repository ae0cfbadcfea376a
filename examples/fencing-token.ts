// Fencing tokens: a store that refuses writes from a holder that has been overtaken. A lock alone
// cannot stop a paused process from writing late; the token lets the store refuse it.
// Run: ZK_LOCK_CONNECT=127.0.0.1:2181 pnpm exec tsx examples/fencing-token.ts
import { createLocks } from 'zk-lock';

/** A stand-in for a database row guarded by a fence column (see docs/guarantees.md). */
class FencedStore {
  #highestToken = -1n;
  #value = '';

  write(value: string, token: bigint): boolean {
    // Compare and set in one step; equal tokens are the same holder writing again.
    if (token < this.#highestToken) return false;
    this.#highestToken = token;
    this.#value = value;
    return true;
  }

  get value(): string {
    return this.#value;
  }
}

const locks = createLocks({
  connect: process.env.ZK_LOCK_CONNECT ?? '127.0.0.1:2181',
  pathPrefix: 'examples',
});
const store = new FencedStore();

// Holder 1 takes the lock and writes...
const first = await locks.acquire('ledger');
const firstToken = first.fencingToken;
console.log(`holder 1 wrote: ${store.write('balance=100', firstToken)}`);
// ...then stalls (think: a long GC pause) while its lock goes to holder 2.
await first.release();

const second = await locks.acquire('ledger');
console.log(`holder 2 token is larger: ${second.fencingToken > firstToken}`);
console.log(`holder 2 wrote: ${store.write('balance=80', second.fencingToken)}`);

// Holder 1 wakes up and finishes its write with its old token: the store refuses it.
console.log(`holder 1 late write accepted: ${store.write('balance=150', firstToken)}`);
console.log(`value: ${store.value}`);

await second.release();
await locks.close();

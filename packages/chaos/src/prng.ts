/**
 * A small seeded PRNG (mulberry32) so a run is reproducible from its seed: the fault plan, the
 * workers' key choices and hold times all derive from it. Never `Math.random`.
 */
export interface Rng {
  /** A float in [0, 1). */
  readonly next: () => number;
  /** An integer in [lo, hi). */
  readonly int: (lo: number, hi: number) => number;
  /** An unsigned 32-bit integer. */
  readonly uint32: () => number;
  readonly pick: <A>(items: ReadonlyArray<A>) => A;
  /** A shuffled copy (Fisher–Yates). */
  readonly shuffle: <A>(items: ReadonlyArray<A>) => A[];
}

export const createRng = (seed: number): Rng => {
  let state = seed >>> 0;
  const uint32 = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return (z ^ (z >>> 14)) >>> 0;
  };
  const next = (): number => uint32() / 2 ** 32;
  const int = (lo: number, hi: number): number => lo + Math.floor(next() * (hi - lo));
  const pick = <A>(items: ReadonlyArray<A>): A => {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[int(0, items.length)]!;
  };
  const shuffle = <A>(items: ReadonlyArray<A>): A[] => {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = int(0, i + 1);
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy;
  };
  return { next, int, uint32, pick, shuffle };
};

/** An independent seed for stream `n` of a run (e.g. one per worker), by a murmur3-style mix. */
export const deriveSeed = (seed: number, n: number): number => {
  let h = (seed ^ Math.imul(n + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
};

import { describe, expect, it } from 'vitest';
import { nearestRank, ratio, round } from '../src/stats.js';

describe('nearestRank', () => {
  it('picks the sample at rank ⌈p·n⌉ of the sorted samples, never an interpolated value', () => {
    const samples = [15, 20, 35, 40, 50];
    expect(nearestRank(samples, 5)).toBe(15);
    expect(nearestRank(samples, 30)).toBe(20);
    expect(nearestRank(samples, 40)).toBe(20);
    expect(nearestRank(samples, 50)).toBe(35);
    expect(nearestRank(samples, 100)).toBe(50);
  });

  it('sorts numerically and leaves its input alone', () => {
    const samples = [10, 9, 100, 1];
    expect(nearestRank(samples, 50)).toBe(9);
    expect(samples).toEqual([10, 9, 100, 1]);
  });

  it('gives p99 of 100 samples as the 99th smallest, and p0 as the smallest', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(nearestRank(samples, 99)).toBe(99);
    expect(nearestRank(samples, 0)).toBe(1);
  });

  it('has no value for an empty sample', () => {
    expect(nearestRank([], 50)).toBeUndefined();
  });
});

describe('round and ratio', () => {
  it('round to the given decimals and map missing or infinite values to null', () => {
    expect(round(1.23456)).toBe(1.23);
    expect(round(1.23456, 3)).toBe(1.235);
    expect(round(undefined)).toBeNull();
    expect(round(Infinity)).toBeNull();
    expect(ratio(5701, 1900)).toBe(3);
    expect(ratio(1, 0)).toBeNull();
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Debouncer, type Level } from '../../../hal/gpio/debounce.js';

/** Each case: raw edges as [ms since start, level]; the stable changes expected as [ms, level]. */
const cases: {
  name: string;
  delay: number;
  initial: Level;
  edges: [number, Level][];
  until: number;
  expected: [number, Level][];
}[] = [
  { name: 'clean press', delay: 50, initial: 0, edges: [[10, 1]], until: 200, expected: [[60, 1]] },
  {
    name: 'bouncing press settles once',
    delay: 50,
    initial: 0,
    edges: [
      [10, 1],
      [12, 0],
      [15, 1],
      [18, 0],
      [20, 1],
    ],
    until: 200,
    expected: [[70, 1]],
  },
  {
    name: 'glitch shorter than the delay is ignored',
    delay: 50,
    initial: 0,
    edges: [
      [10, 1],
      [40, 0],
    ],
    until: 200,
    expected: [],
  },
  {
    name: 'press then release',
    delay: 50,
    initial: 0,
    edges: [
      [0, 1],
      [100, 0],
    ],
    until: 300,
    expected: [
      [50, 1],
      [150, 0],
    ],
  },
  {
    name: 'bounce on release too',
    delay: 30,
    initial: 1,
    edges: [
      [0, 0],
      [5, 1],
      [9, 0],
    ],
    until: 100,
    expected: [[39, 0]],
  },
  {
    name: 'zero delay passes every change through at once',
    delay: 0,
    initial: 0,
    edges: [
      [0, 1],
      [1, 0],
      [2, 1],
    ],
    until: 10,
    expected: [
      [0, 1],
      [1, 0],
      [2, 1],
    ],
  },
  {
    name: 'repeated same level never reports',
    delay: 20,
    initial: 1,
    edges: [
      [0, 1],
      [50, 1],
    ],
    until: 100,
    expected: [],
  },
];

describe('Debouncer', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each(cases)('$name', ({ delay, initial, edges, until, expected }) => {
    const start = Date.now();
    const seen: [number, Level][] = [];
    const debouncer = new Debouncer(initial, delay, (level) => seen.push([Date.now() - start, level]));
    let now = 0;
    for (const [at, level] of edges) {
      vi.advanceTimersByTime(at - now);
      now = at;
      debouncer.input(level);
    }
    vi.advanceTimersByTime(until - now);
    expect(seen).toEqual(expected);
    expect(debouncer.level).toBe(expected.at(-1)?.[1] ?? initial);
  });

  it('dispose drops a pending change', () => {
    const seen: Level[] = [];
    const debouncer = new Debouncer(0, 50, (level) => seen.push(level));
    debouncer.input(1);
    debouncer.dispose();
    vi.advanceTimersByTime(500);
    expect(seen).toEqual([]);
  });
});

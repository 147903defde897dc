import { describe, expect, it } from 'vitest';
import { canonicalJson, CanonicalJsonError } from '../../kiosk/evidence/canonical-json.js';

describe('canonicalJson', () => {
  it.each([
    ['sorted keys, no spaces', { b: 1, a: [true, null], c: 'x' }, '{"a":[true,null],"b":1,"c":"x"}'],
    ['nested objects sorted at every level', { z: { y: 1, x: 2 }, a: {} }, '{"a":{},"z":{"x":2,"y":1}}'],
    ['keys sorted by UTF-16 code unit, not locale', { b: 0, B: 0, é: 0, a: 0 }, '{"B":0,"a":0,"b":0,"é":0}'],
    ['undefined members dropped', { a: undefined, b: 2 }, '{"b":2}'],
    ['numbers as ECMAScript writes them', [1.5, -0, 1e21, 0.1], '[1.5,0,1e+21,0.1]'],
    ['Vietnamese text kept as UTF-8, controls escaped', { t: 'Phòng tiếp\n"dân"' }, '{"t":"Phòng tiếp\\n\\"dân\\""}'],
    ['empty array and string', { a: [], s: '' }, '{"a":[],"s":""}'],
  ])('%s', (_name, input, expected) => {
    expect(canonicalJson(input)).toBe(expected);
  });

  it.each([
    ['NaN', { a: Number.NaN }, '$.a'],
    ['Infinity in an array', [1, Number.POSITIVE_INFINITY], '$[1]'],
    ['a Date (not a plain object)', { d: new Date(0) }, '$.d'],
    ['a function', { f: () => 1 }, '$.f'],
  ])('refuses %s, naming where', (_name, input, path) => {
    expect(() => canonicalJson(input)).toThrow(CanonicalJsonError);
    expect(() => canonicalJson(input)).toThrow(path);
  });
});

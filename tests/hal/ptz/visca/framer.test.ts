import { describe, expect, it } from 'vitest';
import { ViscaFramer, type FramerOutput } from '../../../../hal/ptz/visca/framer.js';

const h = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');
const show = (outputs: FramerOutput[]) => outputs.map((o) => `${o.type}:${o.bytes.toString('hex')}`);

describe('VISCA stream framer', () => {
  const cases: [string, string[], string[]][] = [
    ['one packet', ['90 41 FF'], ['packet:9041ff']],
    ['ACK and Completion in one chunk', ['90 41 FF 90 51 FF'], ['packet:9041ff', 'packet:9051ff']],
    ['a packet split byte by byte', ['90', '50', '00', '09', 'FF'], ['packet:90500009ff']],
    ['garbage before a packet', ['00 12 7F 90 41 FF'], ['garbage:00127f', 'packet:9041ff']],
    ['a lone terminator is garbage', ['FF 90 51 FF'], ['garbage:ff', 'packet:9051ff']],
    ['a header interrupting a packet', ['90 50 01 90 41 FF'], ['garbage:905001', 'packet:9041ff']],
    ['garbage after the last packet is reported at once', ['90 41 FF 01 02'], ['packet:9041ff', 'garbage:0102']],
    [
      'more than 16 bytes without terminator',
      [`90 50 ${'01 '.repeat(15)}90 51 FF`],
      [`garbage:9050${'01'.repeat(15)}`, 'packet:9051ff'],
    ],
    ['a 16-byte packet is still a packet', [`90 50 ${'01 '.repeat(13)}FF`], [`packet:9050${'01'.repeat(13)}ff`]],
  ];
  it.each(cases)('%s', (_name, chunks, expected) => {
    const framer = new ViscaFramer();
    expect(show(chunks.flatMap((chunk) => framer.push(h(chunk))))).toEqual(expected);
  });

  it('forgets a half packet on reset', () => {
    const framer = new ViscaFramer();
    framer.push(h('90 50 01'));
    framer.reset();
    expect(show(framer.push(h('02 FF 90 41 FF')))).toEqual(['garbage:02ff', 'packet:9041ff']);
  });
});

import { describe, expect, it } from 'vitest';
import {
  MegatecParseError,
  formatQ1,
  formatRating,
  megatecRequest,
  parseQ1,
  parseRating,
  type MegatecStatus,
} from '../../../hal/ups/megatec/codec.js';
import {
  cellsFromNominal,
  estimateCharge,
  estimateRuntimeSeconds,
  flagsFromQ1,
  readingFromQ1,
  voltsPerCell,
} from '../../../hal/ups/megatec/estimate.js';

const noBits = {
  utilityFail: false,
  batteryLow: false,
  bypassBoost: false,
  upsFailed: false,
  standbyType: false,
  testInProgress: false,
  shutdownActive: false,
  beeperOn: false,
};

describe('Megatec requests', () => {
  it('are byte-exact', () => {
    expect(Buffer.from(megatecRequest.status)).toEqual(Buffer.from([0x51, 0x31, 0x0d]));
    expect(Buffer.from(megatecRequest.rating)).toEqual(Buffer.from([0x46, 0x0d]));
  });
});

describe('Q1 replies', () => {
  it('parses the protocol document example', () => {
    expect(parseQ1('(208.4 140.0 208.4 034 59.9 2.05 35.0 00110000\r')).toEqual({
      inputVoltage: 208.4,
      inputFaultVoltage: 140,
      outputVoltage: 208.4,
      loadPercent: 34,
      frequencyHz: 59.9,
      batteryVoltage: 2.05,
      temperatureC: 35,
      bits: { ...noBits, bypassBoost: true, upsFailed: true },
    });
  });

  it.each<[string, Partial<MegatecStatus['bits']>]>([
    ['10000000', { utilityFail: true }],
    ['11000000', { utilityFail: true, batteryLow: true }],
    ['00100000', { bypassBoost: true }],
    ['00010000', { upsFailed: true }],
    ['00001000', { standbyType: true }],
    ['00000100', { testInProgress: true }],
    ['00000010', { shutdownActive: true }],
    ['00000001', { beeperOn: true }],
  ])('status bits %s', (bits, expected) => {
    expect(parseQ1(`(230.0 230.0 230.0 025 50.0 13.60 25.0 ${bits}`).bits).toEqual({ ...noBits, ...expected });
  });

  it('reads a whole-pack battery voltage and a missing temperature', () => {
    const status = parseQ1('(000.0 000.0 229.0 041 50.1 25.40 --.- 10001001\r');
    expect(status).toMatchObject({ inputVoltage: 0, batteryVoltage: 25.4, temperatureC: null, loadPercent: 41 });
    expect(status.bits).toEqual({ ...noBits, utilityFail: true, standbyType: true, beeperOn: true });
  });

  it('skips line noise before the parenthesis', () => {
    expect(parseQ1('\u0000\u00ff#garbage(230.0 230.0 230.0 025 50.0 13.60 25.0 00001000').outputVoltage).toBe(230);
  });

  it.each([
    '',
    'Q1',
    '(230.0 230.0 230.0 025 50.0 13.60 25.0 0000100',
    '(230.0 230.0 230.0 025 50.0 13.60 25.0 00001002',
    '(230.0 230.0 230.0 50.0 13.60 25.0 00001000',
    '(230.0,230.0 230.0 025 50.0 13.60 25.0 00001000',
    'NAK',
  ])('rejects %j', (line) => {
    expect(() => parseQ1(line)).toThrow(MegatecParseError);
  });

  it('formats what it parses, byte for byte', () => {
    // The document's two battery forms: S.SS per cell, SS.S per pack.
    for (const line of [
      '(208.4 140.0 208.4 034 59.9 2.05 35.0 00110000\r',
      '(000.0 000.0 229.0 041 50.1 25.4 --.- 10001001\r',
      '(230.0 230.0 230.0 005 50.0 13.6 25.0 00001000\r',
    ]) {
      expect(formatQ1(parseQ1(line))).toBe(line);
    }
  });
});

describe('F (rating) replies', () => {
  it('parses and formats', () => {
    expect(parseRating('#220.0 003 12.00 50.0\r')).toEqual({
      voltage: 220,
      current: 3,
      batteryVoltage: 12,
      frequencyHz: 50,
    });
    expect(formatRating({ voltage: 220, current: 3, batteryVoltage: 24, frequencyHz: 50 })).toBe(
      '#220.0 003 24.00 50.0\r',
    );
    expect(() => parseRating('(230.0 230.0 230.0 025 50.0 13.60 25.0 00001000')).toThrow(MegatecParseError);
  });
});

describe('conservative charge and runtime estimate', () => {
  it.each([
    [12, 6],
    [24, 12],
    [36, 18],
    [48, 24],
  ])('%i V nominal → %i cells', (volts, cells) => {
    expect(cellsFromNominal(volts)).toBe(cells);
  });

  it.each<[number, number | undefined, number | undefined]>([
    [2.05, undefined, 2.05],
    [13.8, 6, 2.3],
    [25.2, 12, 2.1],
    [13.8, undefined, undefined],
  ])('volts per cell of %f V with %s cells', (volts, cells, expected) => {
    const perCell = voltsPerCell(volts, cells);
    if (expected === undefined) expect(perCell).toBeUndefined();
    else expect(perCell).toBeCloseTo(expected, 6);
  });

  it.each([
    [2.3, 100],
    [2.1, 100],
    [1.925, 50],
    [1.75, 0],
    [1.6, 0],
  ])('%f V per cell → %i %%', (perCell, charge) => {
    expect(estimateCharge(perCell)).toBe(charge);
  });

  it.each([
    [100, 100, 300, 300],
    [50, 100, 300, 150],
    [100, 50, 300, 600],
    [100, 25, 300, 1200],
    [100, 5, 300, 1200],
    [0, 40, 300, 0],
  ])('charge %i %%, load %i %%, rated %i s at full load → %i s', (charge, load, rated, expected) => {
    expect(estimateRuntimeSeconds(charge, load, rated)).toBe(expected);
  });

  it('maps bits to NUT flags', () => {
    const status = (bits: Partial<MegatecStatus['bits']>) =>
      parseQ1(
        formatQ1({ ...parseQ1('(230.0 230.0 230.0 025 50.0 13.60 25.0 00000000'), bits: { ...noBits, ...bits } }),
      );
    expect(flagsFromQ1(status({}))).toEqual(['OL']);
    expect(flagsFromQ1(status({ utilityFail: true, batteryLow: true }))).toEqual(['OB', 'LB']);
    expect(flagsFromQ1(status({ bypassBoost: true, standbyType: true }))).toEqual(['OL', 'BOOST']);
    expect(flagsFromQ1(status({ bypassBoost: true }))).toEqual(['OL', 'BYPASS']);
    expect(flagsFromQ1(status({ upsFailed: true, testInProgress: true, shutdownActive: true }))).toEqual([
      'OL',
      'ALARM',
      'TEST',
      'FSD',
    ]);
  });

  it('builds a reading with the estimate marked as such', () => {
    const reading = readingFromQ1(
      parseQ1('(000.0 000.0 229.0 050 50.0 11.55 25.0 10001000'),
      { cells: 6, fullLoadRuntimeSeconds: 300 },
      new Date('2025-01-01T00:00:00Z'),
    );
    // 11.55 V / 6 = 1.925 V per cell → 50 %; 300 s × 0.5 × (100 / 50) = 300 s.
    expect(reading).toEqual({
      flags: ['OB'],
      batteryCharge: 50,
      batteryRuntime: 300,
      runtimeEstimated: true,
      load: 50,
      inputVoltage: 0,
      at: '2025-01-01T00:00:00.000Z',
    });
    const unknownPack = readingFromQ1(
      parseQ1('(230.0 230.0 230.0 050 50.0 27.00 25.0 00001000'),
      { cells: undefined, fullLoadRuntimeSeconds: 300 },
      new Date(0),
    );
    expect(unknownPack).toMatchObject({ batteryCharge: null, batteryRuntime: null });
  });
});

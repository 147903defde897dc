import { describe, expect, it } from 'vitest';
import { parseUpsStatus } from '../../../hal/ups/status.js';
import { deriveTransitions, type UpsObservation } from '../../../hal/ups/transitions.js';
import type { UpsFlag } from '../../../hal/ups/types.js';
import { readingFromNutVariables, tellsPowerState } from '../../../hal/ups/nut/reading.js';

describe('ups.status flags', () => {
  it.each([
    ['OL', ['OL'], []],
    ['OB DISCHRG', ['OB', 'DISCHRG'], []],
    ['OB DISCHRG LB', ['OB', 'DISCHRG', 'LB'], []],
    ['FSD OB LB', ['FSD', 'OB', 'LB'], []],
    ['OL CHRG RB', ['OL', 'CHRG', 'RB'], []],
    ['  OL   TRIM ', ['OL', 'TRIM'], []],
    ['OL OL', ['OL'], []],
    ['ol', ['OL'], []],
    ['OL ECO', ['OL'], ['ECO']],
    ['', [], []],
    ['WAIT', [], ['WAIT']],
  ])('%j', (value, flags, unknown) => {
    expect(parseUpsStatus(value)).toEqual({ flags, unknown });
  });
});

function seen(flags: UpsFlag[] | null, communicating = true): UpsObservation {
  return {
    communicating,
    reading: flags
      ? {
          flags,
          batteryCharge: null,
          batteryRuntime: null,
          load: null,
          inputVoltage: null,
          at: '2025-01-01T00:00:00.000Z',
        }
      : null,
  };
}

describe('transitions between readings', () => {
  it.each<[string, UpsObservation, UpsObservation, string[]]>([
    ['OL → OL: nothing', seen(['OL']), seen(['OL']), []],
    ['OL → OB', seen(['OL']), seen(['OB', 'DISCHRG']), ['onBattery']],
    ['OB → OB LB', seen(['OB', 'DISCHRG']), seen(['OB', 'DISCHRG', 'LB']), ['lowBattery']],
    ['OL → OB LB at once', seen(['OL']), seen(['OB', 'LB']), ['onBattery', 'lowBattery']],
    ['OB → OL: back on line', seen(['OB']), seen(['OL', 'CHRG']), ['onLine']],
    ['OB LB → OL LB: back on line, LB already known', seen(['OB', 'LB']), seen(['OL', 'LB']), ['onLine']],
    ['OB LB → FSD OB LB', seen(['OB', 'LB']), seen(['FSD', 'OB', 'LB']), ['forcedShutdown']],
    ['OL → OL RB', seen(['OL']), seen(['OL', 'RB']), ['replaceBattery']],
    ['first reading on line: nothing', seen(null), seen(['OL']), []],
    ['first reading on battery', seen(null), seen(['OB', 'DISCHRG']), ['onBattery']],
    ['first reading OB LB', seen(null), seen(['OB', 'LB']), ['onBattery', 'lowBattery']],
    ['communication lost keeps the reading', seen(['OL']), seen(['OL'], false), ['communicationLost']],
    ['still lost: nothing', seen(['OL'], false), seen(['OL'], false), []],
    ['restored, unchanged', seen(['OL'], false), seen(['OL']), ['communicationRestored']],
    [
      'restored on battery (the cut happened while silent)',
      seen(['OL'], false),
      seen(['OB']),
      ['communicationRestored', 'onBattery'],
    ],
    ['lost before any reading', seen(null), seen(null, false), ['communicationLost']],
  ])('%s', (_name, previous, current, expected) => {
    expect(deriveTransitions(previous, current)).toEqual(expected);
  });
});

describe('reading from NUT variables', () => {
  it('maps the standard variables', () => {
    const vars = new Map([
      ['ups.status', 'OB DISCHRG ECO'],
      ['battery.charge', '87'],
      ['battery.runtime', '1260'],
      ['ups.load', '23.5'],
      ['input.voltage', '0.0'],
      ['device.mfr', 'x'],
    ]);
    expect(readingFromNutVariables(vars, new Date('2025-03-01T08:00:00Z'))).toEqual({
      reading: {
        flags: ['OB', 'DISCHRG'],
        batteryCharge: 87,
        batteryRuntime: 1260,
        load: 23.5,
        inputVoltage: 0,
        at: '2025-03-01T08:00:00.000Z',
      },
      unknownFlags: ['ECO'],
    });
  });

  it('leaves missing or non-numeric figures null and requires ups.status', () => {
    const { reading } = readingFromNutVariables(
      new Map([
        ['ups.status', 'OL'],
        ['battery.charge', 'n/a'],
      ]),
      new Date(0),
    );
    expect(reading).toMatchObject({ batteryCharge: null, batteryRuntime: null, load: null, inputVoltage: null });
    expect(() => readingFromNutVariables(new Map(), new Date(0))).toThrow(/ups\.status/);
  });
});

describe('statuses that tell the power state', () => {
  it.each<[string[], boolean]>([
    [['OL'], true],
    [['OB', 'LB'], true],
    [['FSD'], true],
    [['CHRG'], false],
    [[], false],
  ])('%j → %s', (flags, expected) => {
    expect(tellsPowerState(flags)).toBe(expected);
  });
});

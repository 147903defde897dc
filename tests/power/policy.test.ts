import { describe, expect, it } from 'vitest';
import {
  criticalReason,
  decidePower,
  initialPowerMemory,
  type PowerInputs,
  type PowerMemory,
} from '../../kiosk/power/policy.js';
import type { UpsFlag } from '../../hal/ups/types.js';

function inputs(
  flags: UpsFlag[] | null,
  more: Partial<PowerInputs> & { runtime?: number | null; charge?: number | null } = {},
): PowerInputs {
  const { runtime = 1800, charge = 100, ...rest } = more;
  return {
    reading: flags
      ? {
          flags,
          batteryCharge: charge,
          batteryRuntime: runtime,
          load: 20,
          inputVoltage: 230,
          at: '2025-01-01T00:00:00.000Z',
        }
      : null,
    communicating: true,
    silentSeconds: 0,
    silentLimitSeconds: 15,
    session: { id: 's-1' },
    finalizeSeconds: 30,
    marginSeconds: 120,
    ...rest,
  };
}

const alerted: PowerMemory = { alertedOnBattery: true, shutdownDecided: false };

describe('criticalReason', () => {
  it.each<[string, PowerInputs, string | undefined]>([
    ['on line', inputs(['OL']), undefined],
    ['no reading yet', inputs(null), undefined],
    ['on battery, plenty of runtime', inputs(['OB'], { runtime: 900 }), undefined],
    ['runtime exactly finalize + margin is enough', inputs(['OB'], { runtime: 150 }), undefined],
    [
      'runtime one second under',
      inputs(['OB'], { runtime: 149 }),
      'battery runtime 149 s is under 150 s (finalize 30 s + margin 120 s)',
    ],
    ['unknown runtime on battery: waits for LB', inputs(['OB'], { runtime: null }), undefined],
    ['low battery on battery', inputs(['OB', 'LB']), 'UPS on battery with low battery (LB)'],
    ['low battery while charging on line', inputs(['OL', 'LB', 'CHRG']), undefined],
    ['FSD even on line', inputs(['OL', 'FSD']), 'UPS signals forced shutdown (FSD)'],
    ['silent on battery, not yet long', inputs(['OB'], { communicating: false, silentSeconds: 14 }), undefined],
    [
      'silent on battery for 15 s',
      inputs(['OB'], { communicating: false, silentSeconds: 15 }),
      'UPS silent for 15 s while on battery',
    ],
    ['silent on line', inputs(['OL'], { communicating: false, silentSeconds: 600 }), undefined],
    [
      'short runtime but silent: LB/runtime no longer trusted, silence rule instead',
      inputs(['OB'], { runtime: 10, communicating: false, silentSeconds: 3 }),
      undefined,
    ],
  ])('%s', (_name, given, expected) => {
    expect(criticalReason(given)).toBe(expected);
  });
});

describe('decidePower', () => {
  it('on battery: one alert, once', () => {
    const first = decidePower(initialPowerMemory, inputs(['OB', 'DISCHRG'], { charge: 80, runtime: 900 }));
    expect(first.actions).toEqual([
      { type: 'alert', alert: 'on-battery', reason: 'running on battery, 80% charge, 900 s left' },
    ]);
    expect(first.memory).toEqual(alerted);
    expect(decidePower(first.memory, inputs(['OB', 'DISCHRG'], { runtime: 800 })).actions).toEqual([]);
  });

  it('back on line after the alert says so, and a new cut alerts again', () => {
    const back = decidePower(alerted, inputs(['OL', 'CHRG']));
    expect(back.actions).toEqual([{ type: 'alert', alert: 'power-restored', reason: 'mains power is back' }]);
    expect(back.memory).toEqual(initialPowerMemory);
    expect(decidePower(back.memory, inputs(['OB'])).actions.map((a) => a.type)).toEqual(['alert']);
  });

  it('on line without a previous alert says nothing', () => {
    expect(decidePower(initialPowerMemory, inputs(['OL']))).toEqual({ memory: initialPowerMemory, actions: [] });
  });

  it('low battery with a live session: end the session, then shut down, in that order', () => {
    const { memory, actions } = decidePower(alerted, inputs(['OB', 'LB']));
    expect(actions).toEqual([
      { type: 'alert', alert: 'critical', reason: 'UPS on battery with low battery (LB)' },
      { type: 'end-session', sessionId: 's-1', reason: 'UPS on battery with low battery (LB)' },
      { type: 'shutdown', reason: 'UPS on battery with low battery (LB)' },
    ]);
    expect(memory.shutdownDecided).toBe(true);
  });

  it('cut straight to OB LB: alert, critical, end session, shutdown', () => {
    const { actions } = decidePower(initialPowerMemory, inputs(['OB', 'LB'], { charge: 8, runtime: 40 }));
    expect(actions.map((a) => (a.type === 'alert' ? a.alert : a.type))).toEqual([
      'on-battery',
      'critical',
      'end-session',
      'shutdown',
    ]);
  });

  it('runtime under finalize + margin without a session: shutdown only', () => {
    const { actions } = decidePower(alerted, inputs(['OB'], { runtime: 100, session: null }));
    expect(actions.map((a) => a.type)).toEqual(['alert', 'shutdown']);
  });

  it('a longer finalize estimate makes the same runtime critical', () => {
    expect(decidePower(alerted, inputs(['OB'], { runtime: 200, finalizeSeconds: 30 })).actions).toEqual([]);
    expect(
      decidePower(alerted, inputs(['OB'], { runtime: 200, finalizeSeconds: 90 })).actions.map((a) => a.type),
    ).toEqual(['alert', 'end-session', 'shutdown']);
  });

  it('once shutdown is decided nothing more is decided, even if mains returns', () => {
    const decided: PowerMemory = { alertedOnBattery: true, shutdownDecided: true };
    expect(decidePower(decided, inputs(['OB', 'LB'])).actions).toEqual([]);
    expect(decidePower(decided, inputs(['OL'])).actions).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { isDisplayNotFound, parseBriefVcp, percentToRaw, rawToPercent } from '../../../hal/display/ddcutil/vcp.js';
import { levelToPercent, parseSysfsInteger, percentToLevel } from '../../../hal/display/backlight/levels.js';
import { isOn, parsePowerStatusReply } from '../../../hal/display/cec/power-status.js';

describe('parseBriefVcp (ddcutil --brief getvcp)', () => {
  it.each([
    ['VCP 10 C 60 100\n', [{ code: 0x10, type: 'continuous', current: 60, max: 100 }]],
    ['VCP 10 C 128 255', [{ code: 0x10, type: 'continuous', current: 128, max: 255 }]],
    ['VCP D6 SNC x01\n', [{ code: 0xd6, type: 'non-continuous', value: 1 }]],
    ['VCP D6 SNC x04', [{ code: 0xd6, type: 'non-continuous', value: 4 }]],
    ['VCP D6 ERR', [{ code: 0xd6, type: 'error' }]],
    [
      'VCP 10 C 50 100\nVCP D6 SNC x05\n',
      [
        { code: 0x10, type: 'continuous', current: 50, max: 100 },
        { code: 0xd6, type: 'non-continuous', value: 5 },
      ],
    ],
    ['(ddc_open_display) Open failed\nVCP 10 C 5 100', [{ code: 0x10, type: 'continuous', current: 5, max: 100 }]],
    ['VCP 10 C x y', []],
    ['Display not found\n', []],
    ['', []],
  ])('%j', (output, expected) => {
    expect(parseBriefVcp(output)).toEqual(expected);
  });

  it.each([
    ['Display not found', true],
    ['No /dev/i2c devices exist.\nddcutil requires module i2c-dev.', true],
    ['Invalid display', true],
    ['DDC communication failed', false],
  ])('isDisplayNotFound(%j) = %s', (text, expected) => {
    expect(isDisplayNotFound(text)).toBe(expected);
  });

  it.each([
    [50, 100, 50],
    [50, 255, 128],
    [0, 255, 0],
    [100, 255, 255],
    [120, 100, 100],
    [-5, 100, 0],
  ])('percentToRaw(%d, max %d) = %d', (percent, max, raw) => {
    expect(percentToRaw(percent, max)).toBe(raw);
  });

  it.each([
    [128, 255, 50],
    [0, 100, 0],
    [7, 0, 0],
  ])('rawToPercent(%d, max %d) = %d', (raw, max, percent) => {
    expect(rawToPercent(raw, max)).toBe(percent);
  });
});

describe('backlight levels', () => {
  it.each([
    [50, 255, 128],
    [100, 255, 255],
    [0, 255, 0],
    [1, 7, 1],
    [5, 7, 1],
    [50, 7, 4],
    [1, 0, 0],
  ])('percentToLevel(%d, max %d) = %d', (percent, max, level) => {
    expect(percentToLevel(percent, max)).toBe(level);
  });

  it.each([
    [128, 255, 50],
    [7, 7, 100],
    [9, 7, 100],
    [3, 0, 0],
  ])('levelToPercent(%d, max %d) = %d', (level, max, percent) => {
    expect(levelToPercent(level, max)).toBe(percent);
  });

  it('parses sysfs integers and refuses anything else', () => {
    expect(parseSysfsInteger('255\n', 'max_brightness')).toBe(255);
    expect(() => parseSysfsInteger('full\n', 'brightness')).toThrow(/unexpected brightness value "full"/);
    expect(() => parseSysfsInteger('12abc', 'brightness')).toThrow();
  });
});

describe('parsePowerStatusReply (cec-ctl --give-device-power-status)', () => {
  const reply = (state: string) =>
    [
      'Transmit from Playback Device 1 to TV (4 to 0):',
      'GIVE_DEVICE_POWER_STATUS (0x8f)',
      '\tSequence: 12 Tx Timestamp: 1042.133s',
      '\tReceived from TV (0 to 4): REPORT_POWER_STATUS (0x90):',
      `\t\tpwr-state: ${state}`,
      '\tSequence: 12 Rx Timestamp: 1042.224s',
    ].join('\n');

  it.each([
    [reply('on (0x00)'), { kind: 'power-status', status: 'on' }],
    [reply('standby (0x01)'), { kind: 'power-status', status: 'standby' }],
    [reply('in transition standby to on (0x02)'), { kind: 'power-status', status: 'to-on' }],
    [reply('in transition on to standby (0x03)'), { kind: 'power-status', status: 'to-standby' }],
    [
      'Transmit from Playback Device 1 to TV (4 to 0):\nGIVE_DEVICE_POWER_STATUS (0x8f)\n\tSequence: 3 Tx Timestamp: 9.1s Tx, Not Acknowledged (4), Max Retries',
      { kind: 'not-acknowledged' },
    ],
    [
      'Transmit from Playback Device 1 to TV (4 to 0):\nGIVE_DEVICE_POWER_STATUS (0x8f)\n\tSequence: 3 Tx Timestamp: 9.1s\n\tTimeout',
      { kind: 'no-reply' },
    ],
  ])('case %#', (output, expected) => {
    expect(parsePowerStatusReply(output)).toEqual(expected);
  });

  it('counts a TV turning on as on', () => {
    expect([isOn('on'), isOn('to-on'), isOn('standby'), isOn('to-standby')]).toEqual([true, true, false, false]);
  });
});

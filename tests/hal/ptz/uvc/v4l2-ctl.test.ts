import { describe, expect, it } from 'vitest';
import * as ctl from '../../../../hal/ptz/uvc/v4l2-ctl.js';

/** Output as v4l2-ctl 1.22 prints it for a UVC PTZ webcam (layout of --list-ctrls / --get-ctrl). */
const LIST = `
User Controls

                     brightness 0x00980900 (int)    : min=0 max=255 step=1 default=128 value=128
                      sharpness 0x0098091b (int)    : min=0 max=255 step=1 default=128 value=128
        power_line_frequency 0x00980918 (menu)   : min=0 max=2 default=2 value=2 (60 Hz)

Camera Controls

                  auto_exposure 0x009a0901 (menu)   : min=0 max=3 default=3 value=3 (Aperture Priority Mode)
                   pan_absolute 0x009a0908 (int)    : min=-36000 max=36000 step=3600 default=0 value=7200
                  tilt_absolute 0x009a0909 (int)    : min=-36000 max=36000 step=3600 default=0 value=-3600
                 focus_automatic_continuous 0x009a090c (bool)   : default=1 value=1
                  zoom_absolute 0x009a090d (int)    : min=100 max=500 step=1 default=100 value=250 flags=has-payload
`;

describe('v4l2-ctl arguments (never through a shell)', () => {
  it.each([
    ['list', ctl.listControlsArgs('/dev/video2'), ['-d', '/dev/video2', '--list-ctrls']],
    [
      'get',
      ctl.getControlsArgs('/dev/video2', ['pan_absolute', 'zoom_absolute']),
      ['-d', '/dev/video2', '--get-ctrl=pan_absolute,zoom_absolute'],
    ],
    [
      'set',
      ctl.setControlsArgs('/dev/video2', { pan_absolute: -7200, tilt_absolute: 0, zoom_absolute: 300 }),
      ['-d', '/dev/video2', '--set-ctrl=pan_absolute=-7200,tilt_absolute=0,zoom_absolute=300'],
    ],
  ])('%s', (_name, args, expected) => {
    expect(args).toEqual(expected);
  });

  it('refuses fractional and empty settings', () => {
    expect(() => ctl.setControlsArgs('/dev/video0', { pan_absolute: 1.5 })).toThrow(RangeError);
    expect(() => ctl.setControlsArgs('/dev/video0', {})).toThrow(RangeError);
  });
});

describe('v4l2-ctl output parsing', () => {
  it('reads integer control ranges from --list-ctrls, skipping menus and booleans', () => {
    const controls = ctl.parseListControls(LIST);
    expect([...controls.keys()]).toEqual(['brightness', 'sharpness', 'pan_absolute', 'tilt_absolute', 'zoom_absolute']);
    expect(controls.get('pan_absolute')).toEqual({ min: -36000, max: 36000, step: 3600, default: 0, value: 7200 });
    expect(controls.get('zoom_absolute')).toEqual({ min: 100, max: 500, step: 1, default: 100, value: 250 });
  });

  it('reads name: value lines from --get-ctrl', () => {
    expect(ctl.parseGetControls('pan_absolute: 7200\ntilt_absolute: -3600\nzoom_absolute: 250\n')).toEqual(
      new Map([
        ['pan_absolute', 7200],
        ['tilt_absolute', -3600],
        ['zoom_absolute', 250],
      ]),
    );
    expect(ctl.parseGetControls('garbage\n')).toEqual(new Map());
  });

  it.each([
    [5000, 3600],
    [5500, 7200],
    [-99999, -36000],
    [99999, 36000],
    [0, 0],
  ])('fits pan %i to the step grid as %i', (value, expected) => {
    expect(ctl.fitToRange(value, { min: -36000, max: 36000, step: 3600, default: 0, value: 0 })).toBe(expected);
  });
});

import { describe, expect, it } from 'vitest';
import {
  classifyAmixerError,
  isCaptureMuted,
  mixerDeviceOf,
  parseCaptureControl,
} from '../../../hal/audio/alsa/amixer.js';
import { isServerUnavailable, parseMute, parseShortSources } from '../../../hal/audio/pulse/pactl.js';

const stereoCapture = `Simple mixer control 'Capture',0
  Capabilities: cvolume cswitch
  Capture channels: Front Left - Front Right
  Limits: Capture 0 - 63
  Front Left: Capture 39 [62%] [12.00dB] [on]
  Front Right: Capture 39 [62%] [12.00dB] [off]
`;
const usbMicMuted = `Simple mixer control 'Mic',0
  Capabilities: cvolume cvolume-joined cswitch cswitch-joined
  Capture channels: Mono
  Limits: Capture 0 - 16
  Mono: Capture 12 [75%] [21.00dB] [off]
`;
const mixedPlaybackCapture = `Simple mixer control 'Headset',0
  Capabilities: pvolume pswitch cvolume cswitch
  Playback channels: Mono
  Capture channels: Mono
  Limits: Playback 0 - 31 Capture 0 - 16
  Mono: Playback 31 [100%] [0.00dB] [off] Capture 16 [100%] [23.00dB] [on]
`;
const volumeOnly = `Simple mixer control 'Digital',0
  Capabilities: cvolume
  Capture channels: Front Left - Front Right
  Limits: Capture 0 - 120
  Front Left: Capture 80 [67%] [0.00dB]
  Front Right: Capture 80 [67%] [0.00dB]
`;

describe('amixer parsing', () => {
  it.each([
    [
      stereoCapture,
      {
        name: 'Capture',
        channels: [
          { channel: 'Front Left', percent: 62, on: true },
          { channel: 'Front Right', percent: 62, on: false },
        ],
      },
      false,
    ],
    [usbMicMuted, { name: 'Mic', channels: [{ channel: 'Mono', percent: 75, on: false }] }, true],
    [
      volumeOnly,
      {
        name: 'Digital',
        channels: [
          { channel: 'Front Left', percent: 67, on: null },
          { channel: 'Front Right', percent: 67, on: null },
        ],
      },
      false,
    ],
  ])('capture control %#', (output, control, muted) => {
    const parsed = parseCaptureControl(output);
    expect(parsed).toEqual(control);
    expect(isCaptureMuted(parsed!)).toBe(muted);
  });

  it('reads the capture side of a mixed playback/capture control', () => {
    // "Mono: Playback … [off] Capture … [on]" — the playback switch must not be taken for the capture one.
    const parsed = parseCaptureControl(mixedPlaybackCapture)!;
    expect(parsed).toEqual({ name: 'Headset', channels: [{ channel: 'Mono', percent: 100, on: true }] });
    expect(isCaptureMuted(parsed)).toBe(false);
  });

  it('returns undefined on unrelated output', () => {
    expect(parseCaptureControl("amixer: Unable to find simple control 'Capture',0\n")).toBeUndefined();
  });

  it.each([
    ['hw:CARD=ArrayUAC10,DEV=0', 'hw:CARD=ArrayUAC10'],
    ['plughw:CARD=Device,DEV=0', 'hw:CARD=Device'],
    ['hw:1,0', 'hw:1'],
    ['plughw:2', 'hw:2'],
    ['default', 'default'],
  ])('mixer of %s is %s', (pcm, mixer) => {
    expect(mixerDeviceOf(pcm)).toBe(mixer);
  });

  it.each([
    ["amixer: Unable to find simple control 'Capture',0", 'no-control'],
    [
      'ALSA lib confmisc.c:165:(snd_config_get_card) Cannot get card index for X\namixer: Mixer attach hw:CARD=X error: No such device',
      'no-device',
    ],
    ['amixer: Mixer attach hw:3 error: No such file or directory', 'no-device'],
    ['amixer: Invalid command!', 'other'],
  ])('classifies %j as %s', (stderr, kind) => {
    expect(classifyAmixerError(stderr)).toBe(kind);
  });
});

describe('pactl parsing', () => {
  const sources = [
    '0\talsa_output.pci-0000_00_1f.3.analog-stereo.monitor\tmodule-alsa-card.c\ts16le 2ch 48000Hz\tSUSPENDED',
    '1\talsa_input.usb-SEEED_ReSpeaker_4_Mic_Array__UAC1.0_-00.multichannel-input\tmodule-alsa-card.c\ts16le 6ch 16000Hz\tRUNNING',
    '',
  ].join('\n');

  it('lists sources and marks monitors', () => {
    expect(parseShortSources(sources)).toEqual([
      {
        index: 0,
        name: 'alsa_output.pci-0000_00_1f.3.analog-stereo.monitor',
        sampleSpec: 's16le 2ch 48000Hz',
        state: 'SUSPENDED',
        monitor: true,
      },
      {
        index: 1,
        name: 'alsa_input.usb-SEEED_ReSpeaker_4_Mic_Array__UAC1.0_-00.multichannel-input',
        sampleSpec: 's16le 6ch 16000Hz',
        state: 'RUNNING',
        monitor: false,
      },
    ]);
  });

  it.each([
    ['Mute: yes\n', true],
    ['Mute: no\n', false],
  ])('parseMute(%j)', (output, muted) => {
    expect(parseMute(output)).toBe(muted);
  });

  it('refuses unexpected mute output', () => {
    expect(() => parseMute('Stummschaltung: ja')).toThrow(/unexpected pactl output/);
  });

  it.each([
    ['Connection failure: Connection refused\npa_context_connect() failed: Connection refused', true],
    ['Failed to get source mute status: No such entity', false],
  ])('server unavailable %j', (stderr, expected) => {
    expect(isServerUnavailable(stderr)).toBe(expected);
  });
});

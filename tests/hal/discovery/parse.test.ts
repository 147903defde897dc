import { describe, expect, it } from 'vitest';
import { diffScans, parseArecordList, parseAsoundCards, parseV4l2ListDevices } from '../../../hal/discovery/parse.js';
import type { DiscoveredDevice } from '../../../hal/discovery/types.js';

describe('parseV4l2ListDevices', () => {
  it('groups nodes under their physical device', () => {
    const output = [
      'bcm2835-codec-decode (platform:bcm2835-codec):',
      '\t/dev/video10',
      '\t/dev/video11',
      '\t/dev/media2',
      '',
      'HD Pro Webcam C920 (usb-0000:00:14.0-1):',
      '\t/dev/video0',
      '\t/dev/video1',
      '\t/dev/media0',
      '',
      'Cannot open device /dev/video2, exiting.',
    ].join('\n');
    expect(parseV4l2ListDevices(output)).toEqual([
      {
        name: 'bcm2835-codec-decode',
        bus: 'platform:bcm2835-codec',
        nodes: ['/dev/video10', '/dev/video11', '/dev/media2'],
      },
      { name: 'HD Pro Webcam C920', bus: 'usb-0000:00:14.0-1', nodes: ['/dev/video0', '/dev/video1', '/dev/media0'] },
    ]);
  });

  it('returns nothing for no devices', () => {
    expect(parseV4l2ListDevices('Cannot open device /dev/video0, exiting.\n')).toEqual([]);
  });
});

describe('parseAsoundCards', () => {
  it('reads index, id, driver and name', () => {
    const text = [
      ' 0 [PCH            ]: HDA-Intel - HDA Intel PCH',
      '                      HDA Intel PCH at 0xf7f10000 irq 32',
      ' 1 [ArrayUAC10     ]: USB-Audio - ReSpeaker 4 Mic Array (UAC1.0)',
      '                      SEEED ReSpeaker 4 Mic Array (UAC1.0) at usb-0000:00:14.0-2, full speed',
      '',
    ].join('\n');
    expect(parseAsoundCards(text)).toEqual([
      { index: 0, id: 'PCH', driver: 'HDA-Intel', name: 'HDA Intel PCH' },
      { index: 1, id: 'ArrayUAC10', driver: 'USB-Audio', name: 'ReSpeaker 4 Mic Array (UAC1.0)' },
    ]);
  });

  it('reads the no-card marker as no cards', () => {
    expect(parseAsoundCards('--- no soundcards ---\n')).toEqual([]);
  });
});

describe('parseArecordList', () => {
  it('lists capture devices', () => {
    const output = [
      '**** List of CAPTURE Hardware Devices ****',
      'card 0: PCH [HDA Intel PCH], device 0: ALC3246 Analog [ALC3246 Analog]',
      '  Subdevices: 1/1',
      '  Subdevice #0: subdevice #0',
      'card 1: ArrayUAC10 [ReSpeaker 4 Mic Array (UAC1.0)], device 0: USB Audio [USB Audio]',
      '  Subdevices: 1/1',
    ].join('\n');
    expect(parseArecordList(output)).toEqual([
      { card: 0, cardId: 'PCH', cardName: 'HDA Intel PCH', device: 0, deviceName: 'ALC3246 Analog' },
      { card: 1, cardId: 'ArrayUAC10', cardName: 'ReSpeaker 4 Mic Array (UAC1.0)', device: 0, deviceName: 'USB Audio' },
    ]);
  });
});

describe('diffScans', () => {
  const device = (kind: DiscoveredDevice['kind'], key: string, path = key): DiscoveredDevice => ({
    kind,
    key,
    path,
    name: key,
    byId: [],
  });
  const at = new Date('2025-11-03T01:00:00Z');
  const cam = device('camera', '/dev/v4l/by-id/usb-C920-video-index0', '/dev/video0');
  const ups = device('serial', '/dev/serial/by-id/usb-Prolific-if00-port0', '/dev/ttyUSB0');
  const mic = device('audio', 'hw:CARD=ArrayUAC10,DEV=0');

  it.each<[string, DiscoveredDevice[], DiscoveredDevice[], [string, string][]]>([
    ['nothing changed', [cam, ups], [ups, cam], []],
    ['a camera plugged', [ups], [ups, cam], [['plugged', cam.key]]],
    ['a serial adapter unplugged', [cam, ups], [cam], [['unplugged', ups.key]]],
    [
      'unplugs listed before plugs',
      [cam],
      [mic],
      [
        ['unplugged', cam.key],
        ['plugged', mic.key],
      ],
    ],
    // The same camera on another node (video0 → video2) keeps its by-id key: not a change.
    ['renumbered node with the same by-id key', [cam], [{ ...cam, path: '/dev/video2' }], []],
    [
      'same key, different kind, counts apart',
      [device('camera', 'x')],
      [device('serial', 'x')],
      [
        ['unplugged', 'x'],
        ['plugged', 'x'],
      ],
    ],
  ])('%s', (_name, before, after, expected) => {
    const changes = diffScans(before, after, at);
    expect(changes.map((c) => [c.change, c.device.key])).toEqual(expected);
    for (const change of changes) expect(change.at).toBe('2025-11-03T01:00:00.000Z');
  });
});

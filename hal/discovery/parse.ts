import type { DiscoveredChange, DiscoveredDevice } from './types.js';

export interface V4l2Group {
  name: string;
  bus: string;
  nodes: string[];
}

/**
 * Parses `v4l2-ctl --list-devices`: a header per physical device, its nodes indented below.
 *   HD Pro Webcam C920 (usb-0000:00:14.0-1):
 *   	/dev/video0
 *   	/dev/video1
 *   	/dev/media0
 */
export function parseV4l2ListDevices(output: string): V4l2Group[] {
  const groups: V4l2Group[] = [];
  let current: V4l2Group | undefined;
  for (const line of output.split('\n')) {
    if (!line.trim()) continue;
    if (/^\s/.test(line)) {
      if (current && line.trim().startsWith('/')) current.nodes.push(line.trim());
      continue;
    }
    const header = /^(.*?)\s*(?:\(([^()]*)\))?:\s*$/.exec(line);
    current = header ? { name: header[1]!, bus: header[2] ?? '', nodes: [] } : undefined;
    if (current) groups.push(current);
  }
  return groups;
}

export interface AsoundCard {
  index: number;
  /** The card id used in ALSA names: hw:CARD=<id>. */
  id: string;
  driver: string;
  name: string;
}

/**
 * Parses /proc/asound/cards:
 *    1 [ArrayUAC10     ]: USB-Audio - ReSpeaker 4 Mic Array (UAC1.0)
 *                         SEEED ReSpeaker 4 Mic Array (UAC1.0) at usb-0000:00:14.0-2, full speed
 */
export function parseAsoundCards(text: string): AsoundCard[] {
  const cards: AsoundCard[] = [];
  for (const line of text.split('\n')) {
    const match = /^\s*(\d+)\s+\[([^\]]+?)\s*\]:\s*(\S+)\s+-\s+(.*?)\s*$/.exec(line);
    if (match) cards.push({ index: Number(match[1]), id: match[2]!, driver: match[3]!, name: match[4]! });
  }
  return cards;
}

export interface CaptureDevice {
  card: number;
  cardId: string;
  cardName: string;
  device: number;
  deviceName: string;
}

/**
 * Parses `arecord -l`:
 *   card 1: ArrayUAC10 [ReSpeaker 4 Mic Array (UAC1.0)], device 0: USB Audio [USB Audio]
 */
export function parseArecordList(output: string): CaptureDevice[] {
  const devices: CaptureDevice[] = [];
  for (const line of output.split('\n')) {
    const match = /^card (\d+): (\S+) \[(.*)\], device (\d+): .*?\[(.*)\]\s*$/.exec(line);
    if (match)
      devices.push({
        card: Number(match[1]),
        cardId: match[2]!,
        cardName: match[3]!,
        device: Number(match[4]),
        deviceName: match[5]!,
      });
  }
  return devices;
}

function identity(device: DiscoveredDevice): string {
  return `${device.kind}\u0000${device.key}`;
}

/** Plug and unplug between two scans, unplugs first; a device whose key persists is not a change. */
export function diffScans(
  previous: readonly DiscoveredDevice[],
  next: readonly DiscoveredDevice[],
  at: Date,
): DiscoveredChange[] {
  const before = new Map(previous.map((d) => [identity(d), d]));
  const after = new Map(next.map((d) => [identity(d), d]));
  const changes: DiscoveredChange[] = [];
  for (const [id, device] of before)
    if (!after.has(id)) changes.push({ change: 'unplugged', device, at: at.toISOString() });
  for (const [id, device] of after)
    if (!before.has(id)) changes.push({ change: 'plugged', device, at: at.toISOString() });
  return changes;
}

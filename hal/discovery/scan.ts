import { readdir, readFile, readlink } from 'node:fs/promises';
import { basename, join, resolve, dirname } from 'node:path';
import { ToolError, type ToolRunner } from '../core/tool-runner.js';
import { parseArecordList, parseAsoundCards, parseV4l2ListDevices } from './parse.js';
import type { DiscoveredDevice } from './types.js';

/** What `SerialPort.list()` returns, the fields we use. */
export interface SerialPortInfo {
  path: string;
  manufacturer?: string | undefined;
  serialNumber?: string | undefined;
  vendorId?: string | undefined;
  productId?: string | undefined;
}

export interface ScanSources {
  /** `/dev` in production; a temp folder with fake nodes in tests. */
  devRoot: string;
  /** `/proc` in production. */
  procRoot: string;
  tools: ToolRunner;
  listSerialPorts: () => Promise<SerialPortInfo[]>;
}

export async function serialportList(): Promise<SerialPortInfo[]> {
  const { SerialPort } = await import('serialport');
  return SerialPort.list();
}

/** One full scan: cameras, serial ports, audio capture devices. A source that fails adds nothing. */
export async function scanDevices(sources: ScanSources): Promise<DiscoveredDevice[]> {
  const [cameras, serial, audio] = await Promise.all([scanCameras(sources), scanSerial(sources), scanAudio(sources)]);
  return [...cameras, ...serial, ...audio];
}

/** Links in `folder` by the basename of the node they point at (by-id links are relative: ../../video0). */
async function linksByTarget(folder: string): Promise<Map<string, string[]>> {
  const byTarget = new Map<string, string[]>();
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return byTarget;
  }
  for (const name of names.sort()) {
    const link = join(folder, name);
    try {
      const target = basename(resolve(dirname(link), await readlink(link)));
      byTarget.set(target, [...(byTarget.get(target) ?? []), link]);
    } catch {
      // Not a symlink (or gone since readdir): not a by-id entry.
    }
  }
  return byTarget;
}

async function nodes(devRoot: string, pattern: RegExp): Promise<string[]> {
  try {
    return (await readdir(devRoot))
      .filter((name) => pattern.test(name))
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  } catch {
    return [];
  }
}

export async function scanCameras({ devRoot, tools }: ScanSources): Promise<DiscoveredDevice[]> {
  const videoNodes = await nodes(devRoot, /^video\d+$/);
  if (videoNodes.length === 0) return [];
  const byId = await linksByTarget(join(devRoot, 'v4l', 'by-id'));
  const names = new Map<string, string>();
  try {
    // v4l2-ctl exits non-zero when one node cannot be opened, yet lists the others: keep its stdout.
    const output = await tools.run('v4l2-ctl', ['--list-devices'], { timeoutMs: 5000 }).catch((error: unknown) => {
      if (error instanceof ToolError && error.reason === 'exit') return error.stdout;
      throw error;
    });
    for (const group of parseV4l2ListDevices(output))
      for (const node of group.nodes) names.set(basename(node), group.name);
  } catch {
    // Without v4l2-ctl the by-id link is the best name there is.
  }
  return videoNodes.map((node) => {
    const links = byId.get(node) ?? [];
    return {
      kind: 'camera',
      key: links[0] ?? join(devRoot, node),
      path: join(devRoot, node),
      name: names.get(node) ?? (links[0] ? basename(links[0]) : node),
      byId: links,
    };
  });
}

export async function scanSerial({ devRoot, listSerialPorts }: ScanSources): Promise<DiscoveredDevice[]> {
  const byId = await linksByTarget(join(devRoot, 'serial', 'by-id'));
  const listed = await listSerialPorts().catch(() => [] as SerialPortInfo[]);
  const ports = new Map<string, SerialPortInfo>();
  for (const port of listed) ports.set(basename(port.path), port);
  // A by-id link whose node is not in the list (the list depends on udev) still names a real port.
  for (const target of byId.keys()) if (!ports.has(target)) ports.set(target, { path: join(devRoot, target) });
  return [...ports.entries()]
    .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
    .map(([node, port]) => {
      const links = byId.get(node) ?? [];
      const name =
        [port.manufacturer, port.vendorId && port.productId ? `${port.vendorId}:${port.productId}` : undefined]
          .filter(Boolean)
          .join(' ') || (links[0] ? basename(links[0]) : node);
      return { kind: 'serial', key: links[0] ?? port.path, path: port.path, name, byId: links };
    });
}

export async function scanAudio({ devRoot, procRoot, tools }: ScanSources): Promise<DiscoveredDevice[]> {
  let cardsText: string;
  try {
    cardsText = await readFile(join(procRoot, 'asound', 'cards'), 'utf8');
  } catch {
    return [];
  }
  const cards = parseAsoundCards(cardsText);
  if (cards.length === 0) return [];
  const byId = await linksByTarget(join(devRoot, 'snd', 'by-id'));
  let capture = cards.map((card) => ({
    card: card.index,
    cardId: card.id,
    cardName: card.name,
    device: 0,
    deviceName: card.name,
  }));
  try {
    const listed = parseArecordList(await tools.run('arecord', ['-l'], { timeoutMs: 5000 }));
    // arecord lists only cards that can capture: a playback-only HDMI card is not a microphone.
    const present = new Set(cards.map((c) => c.id));
    capture = listed.filter((d) => present.has(d.cardId));
  } catch {
    // Without arecord every card is offered with its first device.
  }
  return capture.map((d) => {
    const links = byId.get(`controlC${d.card}`) ?? [];
    return {
      kind: 'audio',
      key: `hw:CARD=${d.cardId},DEV=${d.device}`,
      path: `hw:CARD=${d.cardId},DEV=${d.device}`,
      name: d.deviceName && d.deviceName !== d.cardName ? `${d.cardName} — ${d.deviceName}` : d.cardName,
      byId: links,
    };
  });
}

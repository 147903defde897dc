import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { NatsConnection } from '@nats-io/nats-core';
import { JetStreamApiCodes, JetStreamApiError, jetstreamManager, type StreamConfig } from '@nats-io/jetstream';
import { readCentralRegistry, singleServerConfig } from './central-dir.js';
import { centralLayout, type CentralLayout } from '../../config/central-layout.js';
import { routePassword } from './cluster.js';
import { newUserKey, publicKeyOfSeedFile, writeSeedFile } from './credentials.js';
import {
  eventsAllStreamConfig,
  nationalServerConfig,
  provinceOutboundStreamConfig,
  provinceServerConfig,
} from './leaf.js';
import { createCa, createServerCertificate } from './tls.js';
import { exists, writeAtomically } from './files.js';

/**
 * The files of the nation's server and of a province's leaf link (README "The nation"). The pure
 * config is `leaf.ts`; this makes the keys, the dev TLS and the leaf passwords, and writes the configs.
 */
export function nationalLayout(dir: string) {
  const root = resolve(dir);
  return {
    dir: root,
    configFile: join(root, 'nats-server.conf'),
    caFile: join(root, 'tls', 'ca.pem'),
    caKeyFile: join(root, 'tls', 'ca.key'),
    tlsDir: join(root, 'tls'),
    /** One certificate for the leafnode listener and the monitoring websocket (a real nation uses its own PKI). */
    certFile: join(root, 'tls', 'server.pem'),
    keyFile: join(root, 'tls', 'server.key'),
    monitoringSeedFile: join(root, 'credentials', 'monitoring.nk'),
    adminSeedFile: join(root, 'credentials', 'admin.nk'),
    /** A province's leaf password (0600): made once here, handed to that province only. */
    leafPasswordFile: (province: string) => join(root, 'credentials', 'leaf', `${province}.secret`),
    storeDir: join(root, 'jetstream'),
  };
}
export type NationalLayout = ReturnType<typeof nationalLayout>;

export interface InitNationalOptions {
  dir: string;
  /** Each province's name and rooms (its folder's registry lists them: `provinceRooms`). */
  provinces: readonly { name: string; rooms: readonly string[] }[];
  leafnodes: { host: string; port: number };
  websocket: { host: string; port: number };
  client?: { host: string; port: number };
  http?: { host: string; port: number };
  tlsHosts?: readonly string[];
  jetstream?: { maxFileBytes: number; maxMemoryBytes: number };
}

const GiB = 1024 ** 3;

/** Writes (or rewrites) the national folder; keys, CA and passwords already made stay the same. */
export async function initNational(options: InitNationalOptions): Promise<NationalLayout> {
  const layout = nationalLayout(options.dir);
  await mkdir(join(layout.dir, 'credentials', 'leaf'), { recursive: true, mode: 0o700 });
  await mkdir(layout.storeDir, { recursive: true, mode: 0o700 });
  if (!(await exists(layout.caFile))) {
    await createCa(layout.tlsDir, 'Diem Cau national dev CA');
    await createServerCertificate(
      layout.tlsDir,
      { certFile: layout.caFile, keyFile: layout.caKeyFile },
      options.tlsHosts ?? ['localhost', '127.0.0.1', '::1'],
    );
  }
  const key = async (file: string) => {
    const existing = await publicKeyOfSeedFile(file);
    if (existing) return existing;
    const made = newUserKey();
    await writeSeedFile(file, made.seed);
    return made.publicKey;
  };
  const provinces = await Promise.all(
    options.provinces.map(async (p) => ({
      name: p.name,
      rooms: p.rooms,
      password: await routePassword(layout.leafPasswordFile(p.name)),
    })),
  );
  const config = nationalServerConfig({
    serverName: 'quocgia',
    client: options.client ?? { host: '127.0.0.1', port: -1 },
    websocket: { ...options.websocket, certFile: layout.certFile, keyFile: layout.keyFile },
    leafnodes: { ...options.leafnodes, certFile: layout.certFile, keyFile: layout.keyFile },
    ...(options.http ? { http: options.http } : {}),
    jetstream: {
      storeDir: layout.storeDir,
      ...(options.jetstream ?? { maxFileBytes: 10 * GiB, maxMemoryBytes: GiB / 4 }),
    },
    provinces,
    monitoring: [{ name: 'monitoring', publicKey: await key(layout.monitoringSeedFile) }],
    admin: [{ name: 'admin', publicKey: await key(layout.adminSeedFile) }],
  });
  await writeAtomically(layout.configFile, config);
  return layout;
}

/** The rooms of a province's folder (its registry), for the nation's exports. */
export async function provinceRooms(layout: CentralLayout): Promise<string[]> {
  const registry = await readCentralRegistry(layout);
  if (!registry) throw new Error(`${layout.dir} has no central.json: run init there first`);
  return registry.rooms.map((room) => room.id);
}

/** Where a province keeps its side of the link. */
export const provinceLeafFiles = (layout: CentralLayout) => ({
  /** The province's config with the leaf link: run nats-server with this one instead of nats-server.conf. */
  configFile: join(layout.dir, 'nats-server-leaf.conf'),
  nationalCaFile: join(layout.dir, 'tls', 'national-ca.pem'),
});

/**
 * Writes a province folder's `nats-server-leaf.conf`: its own config (rooms, users, TLS, from its
 * registry) plus the JetStream domain and the remote to the nation. Run again after `init` admits a
 * room (init rewrites only nats-server.conf).
 */
export async function writeProvinceLeafConfig(
  provinceDir: string,
  link: { province: string; password: string; national: string; nationalCaFile: string },
): Promise<string> {
  const layout = centralLayout(provinceDir);
  const registry = await readCentralRegistry(layout);
  if (!registry) throw new Error(`${layout.dir} has no central.json: run init there first`);
  if (registry.cluster)
    throw new Error('a clustered province as a leaf is not generated yet: every node would need the same remote');
  const files = provinceLeafFiles(layout);
  await copyFile(link.nationalCaFile, files.nationalCaFile);
  const config = provinceServerConfig(singleServerConfig(layout, registry), {
    province: link.province,
    password: link.password,
    national: link.national,
    caFile: files.nationalCaFile,
  });
  await writeAtomically(files.configFile, config);
  return files.configFile;
}

/** Creates DIEMCAU_EVENTS_ALL with one source per province, or brings it to that list (the nation's admin credential). */
export async function ensureNationalStreams(nc: NatsConnection, provinces: readonly string[]): Promise<void> {
  await ensureStream(nc, eventsAllStreamConfig(provinces));
}

/** Creates the province's outbound mirror of DIEMCAU_EVENTS (the province's admin credential, after `ensureCentralStreams`). */
export async function ensureProvinceOutbound(nc: NatsConnection, province: string): Promise<void> {
  await ensureStream(nc, provinceOutboundStreamConfig(province));
}

async function ensureStream(nc: NatsConnection, config: Partial<StreamConfig> & { name: string }): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const existing = await jsm.streams.info(config.name).catch((error: unknown) => {
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound) return undefined;
    throw error;
  });
  if (existing) await jsm.streams.update(config.name, config);
  else await jsm.streams.add(config);
}

export async function readSecret(file: string): Promise<string> {
  return (await readFile(file, 'utf8')).trim();
}

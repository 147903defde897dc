import { execFile } from 'node:child_process';
import { readFile, rm, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readUserCredential } from '../../kiosk/fleet/nats/connection.js';
import { initCentral } from '../../scripts/central/central-dir.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';

const run = promisify(execFile);

/** The central folder (scripts/central/central-dir.ts): made once, completed idempotently, secrets 0600. */
describe('central folder', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir('central');
  });
  afterEach(async () => {
    await removeTempDir(dir);
  });

  it('keeps every key it issued when run again, adds only the new rooms, and survives a seed handed over', async () => {
    const first = await initCentral({ dir, rooms: ['room-a', 'room-b'] });
    expect(first.addedRooms).toEqual(['room-a', 'room-b']);
    const seedA = await readFile(first.layout.roomSeedFile('room-a'), 'utf8');
    expect((await stat(first.layout.roomSeedFile('room-a'))).mode & 0o777).toBe(0o600);
    expect((await stat(first.layout.credentialsDir)).mode & 0o777).toBe(0o700);
    expect((await stat(first.layout.caKeyFile)).mode & 0o777).toBe(0o600);
    expect((await readUserCredential(first.layout.roomSeedFile('room-a'))).publicKey).toBe(
      first.registry.rooms[0]!.publicKey,
    );

    // room-b's seed was handed to the room and removed here: its key stays registered.
    await rm(first.layout.roomSeedFile('room-b'));
    const second = await initCentral({ dir, rooms: ['room-a', 'room-c', 'room-c'] });
    expect(second.addedRooms).toEqual(['room-c']);
    expect(second.registry.rooms.map((r) => r.id)).toEqual(['room-a', 'room-b', 'room-c']);
    expect(second.registry.rooms.slice(0, 2)).toEqual(first.registry.rooms);
    expect(second.registry.monitoring).toEqual(first.registry.monitoring);
    expect(await readFile(first.layout.roomSeedFile('room-a'), 'utf8')).toBe(seedA);
    const config = await readFile(second.layout.configFile, 'utf8');
    for (const room of second.registry.rooms) expect(config).toContain(room.publicKey);
  });

  it('issues the server certificate for the names asked, and again when they change', async () => {
    const sans = async (file: string) =>
      (await run('openssl', ['x509', '-in', file, '-noout', '-ext', 'subjectAltName'])).stdout;
    const { layout } = await initCentral({ dir, rooms: [], tlsHosts: ['localhost', '127.0.0.1'] });
    expect(await sans(layout.certFile)).toMatch(/DNS:localhost, IP Address:127\.0\.0\.1/);
    await run('openssl', ['verify', '-CAfile', layout.caFile, layout.certFile]);
    const before = await readFile(layout.certFile, 'utf8');
    await initCentral({ dir, rooms: [] });
    expect(await readFile(layout.certFile, 'utf8')).toBe(before);
    await initCentral({ dir, rooms: [], tlsHosts: ['central.tinh.gov.vn', '10.20.0.5'] });
    expect(await sans(layout.certFile)).toMatch(/DNS:central\.tinh\.gov\.vn, IP Address:10\.20\.0\.5/);
    await run('openssl', ['verify', '-CAfile', layout.caFile, layout.certFile]);
  });

  it('refuses a room id that cannot be a subject token, writing nothing for it', async () => {
    await expect(initCentral({ dir, rooms: ['room-a', 'Phòng 1'] })).rejects.toThrow(/room "Phòng 1"/);
  });
});

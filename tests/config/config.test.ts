import { execFile } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, defaultConfigPath, loadConfigFile, parseConfig, projectRoot } from '../../config/load.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';

const run = promisify(execFile);
const root = projectRoot();
const cli = join(root, 'dist', 'kiosk', 'cli.js');
const examples = readdirSync(join(root, 'config', 'examples')).map((name) => join(root, 'config', 'examples', name));

function problemsOf(input: unknown): string[] {
  try {
    parseConfig(input);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

const minimal = () => ({
  version: 1,
  room: { id: 'room-1', name: 'Phòng 1', role: 'local' },
  hal: { camera: { driver: 'sim' }, audio: { driver: 'sim' } },
});

describe('config schema', () => {
  it('accepts the embedded default and every example profile', () => {
    expect(loadConfigFile(defaultConfigPath()).hal.camera.driver).toBe('sim');
    expect(examples.length).toBeGreaterThanOrEqual(2);
    for (const file of examples) expect(() => loadConfigFile(file), file).not.toThrow();
  });

  it('fills defaults for a minimal config', () => {
    const config = parseConfig(minimal());
    expect(config.web.kiosk.host).toBe('127.0.0.1');
    expect(config.hal.ptz.driver).toBe('none');
    expect(config.media.video.keyframeSeconds).toBeLessThanOrEqual(1);
    expect(config.room.timezone).toBe('Asia/Ho_Chi_Minh');
  });

  it.each([
    [
      'a serial PTZ without its port',
      (c: any) => (c.hal.ptz = { driver: 'visca-serial' }),
      'hal.ptz.port: required when driver is visca-serial',
    ],
    [
      'a NUT UPS without its name',
      (c: any) => (c.hal.ups = { driver: 'nut' }),
      'hal.ups.upsName: required when driver is nut',
    ],
    [
      'an unknown driver',
      (c: any) => (c.hal.audio = { driver: 'bluetooth' }),
      'hal.audio.driver: must be one of sim, alsa, pulse',
    ],
    [
      'a kiosk API open to the network',
      (c: any) => (c.web = { kiosk: { host: '0.0.0.0' } }),
      'web.kiosk.host: the kiosk API binds to 127.0.0.1 only',
    ],
    [
      'fleet enabled without a server',
      (c: any) => (c.fleet = { enabled: true, credentialFile: '/x' }),
      'fleet.servers: at least one server (wss://host:port) is required when enabled is true',
    ],
    [
      'fleet over ws:// to another machine',
      (c: any) => (c.fleet = { enabled: true, servers: ['ws://giamsat.example.vn:8443'], credentialFile: '/x' }),
      'fleet.servers.0: ws://giamsat.example.vn:8443 is not encrypted: only wss:// may leave this machine (ws:// is for 127.0.0.1, ::1 and localhost)',
    ],
    [
      'fleet over nats://',
      (c: any) => (c.fleet = { enabled: true, servers: ['nats://giamsat.example.vn:4222'], credentialFile: '/x' }),
      'fleet.servers.0: nats://giamsat.example.vn:4222: only wss:// (or ws:// to loopback) is supported',
    ],
    [
      'fleet with the old url field',
      (c: any) =>
        (c.fleet = {
          enabled: true,
          url: 'wss://giamsat.example.vn',
          servers: ['wss://giamsat.example.vn'],
          credentialFile: '/x',
        }),
      'fleet: unknown field url',
    ],
    ['an unknown field', (c: any) => (c.room.colour = 'red'), 'room: unknown field colour'],
    [
      'a VISCA address out of range',
      (c: any) => (c.hal.ptz = { driver: 'visca-serial', port: '/dev/ttyUSB0', address: 9 }),
      'hal.ptz.address: Too big: expected number to be <=7',
    ],
    ['a newer config version', (c: any) => (c.version = 2), 'version: this software reads config version 1'],
  ])('reports %s with its path', (_label, mutate, expected) => {
    const config = minimal();
    mutate(config);
    expect(problemsOf(config)).toContain(expected);
  });

  it('reports every problem at once, not just the first', () => {
    const problems = problemsOf({
      version: 1,
      room: { id: 'Bad Id', role: 'mayor' },
      hal: { camera: { driver: 'v4l2' }, ptz: { driver: 'pelco-d' } },
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^room\.id: /),
        'room.name: required',
        expect.stringMatching(/^room\.role: /),
        'hal.camera.device: required when driver is v4l2',
        'hal.ptz.port: required when driver is pelco-d',
        'hal.audio: required',
      ]),
    );
    expect(problems.length).toBeGreaterThanOrEqual(6);
  });
});

describe('diemcau config check', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir('config');
  });
  afterAll(() => removeTempDir(dir));

  it('passes the default and the examples', async () => {
    const { stdout } = await run(process.execPath, [cli, 'config', 'check', defaultConfigPath(), ...examples]);
    expect(stdout.trim().split('\n')).toHaveLength(1 + examples.length);
    expect(stdout).toContain(': ok (room ');
  });

  it('exits 1 and prints every error with its path for a broken file', async () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(
      broken,
      JSON.stringify({
        version: 1,
        room: { id: 'r1', name: 'R', role: 'local' },
        hal: {
          camera: { driver: 'sim' },
          audio: { driver: 'sim' },
          ptz: { driver: 'visca-serial' },
          ups: { driver: 'nut' },
        },
      }),
    );
    const failure = await run(process.execPath, [cli, 'config', 'check', broken]).then(
      () => undefined,
      (error) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure.stderr).toContain('hal.ptz.port: required when driver is visca-serial');
    expect(failure.stderr).toContain('hal.ups.upsName: required when driver is nut');
    expect(failure.stderr).toContain('2 problems');
  });

  it('explains a file that is not JSON', async () => {
    const garbage = join(dir, 'garbage.json');
    writeFileSync(garbage, '{ "version": 1, ');
    const failure = await run(process.execPath, [cli, 'config', 'check', garbage]).then(
      () => undefined,
      (error) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure.stderr).toMatch(/not valid JSON/);
  });
});

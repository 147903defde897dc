import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, defaultConfigPath, loadConfigFile } from '../../config/load.js';
import { initCentral } from '../../scripts/central/central-dir.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';

/** `npm start -- --central DIR`: the simulated room's fleet section comes from the central folder. */
describe('start --central DIR', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir('central-flag');
    await initCentral({
      dir: join(dir, 'central'),
      rooms: ['sim-room'],
      websocket: { host: '127.0.0.1', port: 18443 },
    });
    await initCentral({ dir: join(dir, 'other'), rooms: ['phong-x'], websocket: { host: '127.0.0.1', port: 18444 } });
    await initCentral({ dir: join(dir, 'any-port'), rooms: ['sim-room'], websocket: { host: '0.0.0.0', port: -1 } });
  });
  afterAll(() => removeTempDir(dir));

  it('fills fleet from the folder for the config’s room (sim-room in simulation), keeping the rest', () => {
    const central = join(dir, 'central');
    const config = loadConfigFile(defaultConfigPath(), { central });
    expect(config.room.id).toBe('sim-room');
    expect(config.fleet).toMatchObject({
      enabled: true,
      servers: ['wss://127.0.0.1:18443'],
      credentialFile: join(central, 'credentials', 'rooms', 'sim-room.nk'),
      caFile: join(central, 'tls', 'ca.pem'),
      rebootCommand: [],
      notaryKeys: [readFileSync(join(central, 'notary-public.txt'), 'utf8').trim()],
    });
  });
  it('says what is wrong: no folder, the room not registered, a port picked at start', () => {
    expect(() => loadConfigFile(defaultConfigPath(), { central: join(dir, 'other') })).toThrow(
      /room sim-room \(room.id\) is not registered there/,
    );
    expect(() => loadConfigFile(defaultConfigPath(), { central: join(dir, 'nothing') })).toThrow(ConfigError);
    expect(() => loadConfigFile(defaultConfigPath(), { central: join(dir, 'nothing') })).toThrow(
      /run npm run central first/,
    );
    expect(() => loadConfigFile(defaultConfigPath(), { central: join(dir, 'any-port') })).toThrow(/picked at start/);
  });
});

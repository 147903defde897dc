import { describe, expect, it } from 'vitest';
import { halConfig } from '../../../hal/config.js';
import { driverFamilies } from '../../../hal/registry.js';

describe('UPS driver families in the registry', () => {
  it.each([
    [{ driver: 'nut', upsName: 'ups' }, 'nut'],
    [{ driver: 'megatec', port: '/dev/ttyUSB0' }, 'megatec'],
    [{ driver: 'gpio', powerFailLine: 4 }, 'gpio'],
    [{ driver: 'sim' }, 'sim'],
  ])('%j builds the %s driver without opening anything', async (ups, name) => {
    const config = halConfig.parse({ camera: { driver: 'sim' }, audio: { driver: 'sim' }, ups });
    const factory = driverFamilies.ups[config.ups.driver as Exclude<typeof config.ups.driver, 'none'>] as (
      options: unknown,
      context: { id: string },
    ) => Promise<{ driverName: string; kind: string; status: string }>;
    const device = await factory(config.ups, { id: 'ups' });
    expect([device.kind, device.driverName, device.status]).toEqual(['ups', name, 'connecting']);
  });

  it('power policy defaults', () => {
    const config = halConfig.parse({ camera: { driver: 'sim' }, audio: { driver: 'sim' } });
    expect(config.power).toEqual({
      marginSeconds: 120,
      finalizeSeconds: 30,
      shutdownCommand: ['systemctl', 'poweroff'],
    });
  });
});

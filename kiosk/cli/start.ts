import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '../../config/load.js';
import type { Command } from './command.js';

export const startCommand: Command = {
  name: 'start',
  summary: 'run the daemon (embedded simulation defaults when no config is given)',
  usage:
    'start [--config FILE] [--central DIR]   (or DIEMCAU_CONFIG=FILE, DIEMCAU_CENTRAL=DIR: report to the central monitoring folder DIR, see npm run central)',
  async run(args, context) {
    const { values } = parseArgs({
      args,
      options: { config: { type: 'string', short: 'c' }, central: { type: 'string' } },
      strict: true,
    });
    // Read where the config is loaded (config/load.ts), like DIEMCAU_CONFIG.
    if (values.central !== undefined) process.env.DIEMCAU_CENTRAL = resolve(values.central);
    try {
      return await context.runDaemon(values.config);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
  },
};

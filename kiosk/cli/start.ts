import { parseArgs } from 'node:util';
import { ConfigError } from '../../config/load.js';
import type { Command } from './command.js';

export const startCommand: Command = {
  name: 'start',
  summary: 'run the daemon (embedded simulation defaults when no config is given)',
  usage: 'start [--config FILE]   (or DIEMCAU_CONFIG=FILE)',
  async run(args) {
    const { values } = parseArgs({ args, options: { config: { type: 'string', short: 'c' } }, strict: true });
    const { runDaemon } = await import('../main.js');
    try {
      return await runDaemon(values.config);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
  },
};

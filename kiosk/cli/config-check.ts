import { ConfigError, loadConfigFile } from '../../config/load.js';
import { UsageError, type Command } from './command.js';

export const configCommand: Command = {
  name: 'config',
  summary: 'validate config files; prints every problem with its path',
  usage: 'config check FILE [FILE…]',
  async run([sub, ...files]) {
    if (sub !== 'check' || files.length === 0) throw new UsageError('expected: config check FILE [FILE…]');
    let failed = 0;
    for (const file of files) {
      try {
        const config = loadConfigFile(file);
        process.stdout.write(`${file}: ok (room ${config.room.id}, ${config.room.role})\n`);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        failed++;
        process.stderr.write(`${error.message}\n`);
      }
    }
    return failed === 0 ? 0 : 1;
  },
};

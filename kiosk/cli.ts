#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ConfigError, loadConfigFile } from '../config/load.js';

const usage = `Usage: diemcau <command>

Commands:
  start [--config FILE]        run the daemon (embedded simulation defaults when no config is given)
  config check FILE [FILE…]    validate config files; prints every problem with its path
  help                         this text

Environment: DIEMCAU_CONFIG=FILE is used by start when --config is absent.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start': {
      const { values } = parseArgs({ args: rest, options: { config: { type: 'string', short: 'c' } }, strict: true });
      const { runDaemon } = await import('./main.js');
      try {
        return await runDaemon(values.config);
      } catch (error) {
        if (error instanceof ConfigError) {
          process.stderr.write(`${error.message}\n`);
          return 1;
        }
        throw error;
      }
    }
    case 'config': {
      const [sub, ...files] = rest;
      if (sub !== 'check' || files.length === 0) break;
      return checkConfigs(files);
    }
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${usage}\n`);
      return 0;
  }
  process.stderr.write(`${usage}\n`);
  return 2;
}

function checkConfigs(files: string[]): number {
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
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`diemcau: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);

#!/usr/bin/env node
import type { Command } from './cli/command.js';
import { cliContext as context } from './cli-context.js';
import { UsageError } from './cli/command.js';
import { fileModes } from './core/file-modes.js';
import { describeError } from '../hal/core/describe-error.js';

/** Sub-commands, loaded lazily so `diemcau config check` does not load GStreamer or sqlite. */
const commands: Record<string, () => Promise<Command>> = {
  start: async () => (await import('./cli/start.js')).startCommand,
  config: async () => (await import('./cli/config-check.js')).configCommand,
  record: async () => (await import('./cli/record.js')).recordCommand,
  'ptz-emulator': async () => (await import('./cli/ptz-emulator.js')).ptzEmulatorCommand,
  user: async () => (await import('./cli/user.js')).userCommand,
  verify: async () => (await import('./cli/verify.js')).verifyCommand,
  export: async () => (await import('./cli/export.js')).exportCommand,
  update: async () => (await import('./cli/update.js')).updateCommand,
  'self-test': async () => (await import('./cli/self-test.js')).selfTestCommand,
};

async function usage(): Promise<string> {
  const lines = ['Usage: diemcau <command>', '', 'Commands:'];
  for (const load of Object.values(commands)) {
    const command = await load();
    lines.push(`  ${command.usage}`, `      ${command.summary}`);
  }
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(`${await usage()}\n`);
    return name === undefined ? 2 : 0;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`diemcau: unknown command "${name}"\n\n${await usage()}\n`);
    return 2;
  }
  const command = await load();
  // Every command writes like the daemon: test recordings, the database, exports' scratch are never open to others.
  process.umask(fileModes.umask);
  try {
    return await command.run(args, context);
  } catch (error) {
    if (!(error instanceof UsageError) && (error as { code?: string })?.code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
      throw error;
    process.stderr.write(`diemcau ${name}: ${describeError(error)}\nusage: diemcau ${command.usage}\n`);
    return 2;
  }
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

import type { OpenedStore } from '../store/open-store.js';

/**
 * What the composition root (kiosk/cli.ts) hands the commands, so that they never import it back:
 * the daemon itself, and the device database with every feature's migrations.
 */
export interface CommandContext {
  runDaemon(configPath: string | undefined): Promise<number>;
  openDatabase(path: string): Promise<OpenedStore>;
}

/** One `diemcau` sub-command. `run` returns the exit code; usage errors throw UsageError. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(args: string[], context: CommandContext): Promise<number>;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

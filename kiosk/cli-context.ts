import type { CommandContext } from './cli/command.js';

/**
 * What the `diemcau` commands get from the composition root, loaded only by the commands that use
 * them: `diemcau config check` loads neither GStreamer nor sqlite.
 */
export const cliContext: CommandContext = {
  runDaemon: async (configPath) => (await import('./main.js')).runDaemon(configPath),
  openDatabase: async (path) => {
    const [{ openStore }, { migrations }] = await Promise.all([
      import('./store/open-store.js'),
      import('./database-schema.js'),
    ]);
    return openStore(path, migrations);
  },
};

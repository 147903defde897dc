import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { loadConfig, resolveDataPath } from '../../config/load.js';
import { roles, type Role } from '../auth/roles.js';
import { UserError, UserStore } from '../auth/user-store.js';
import { openStore } from '../store/open-store.js';
import { UsageError, type Command } from './command.js';

/**
 * Console accounts, managed on the device itself (the first administrator cannot be created
 * through the console). Passwords are read from standard input, never from the command line,
 * where `ps` and shell history would keep them.
 */
export const userCommand: Command = {
  name: 'user',
  summary: `console accounts: add NAME --role ${roles.join('|')}, list, passwd NAME, disable NAME, enable NAME (password on stdin)`,
  usage: 'user add NAME --role ROLE [--display-name TEXT] | list | passwd NAME | disable NAME | enable NAME  [--config FILE]',
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      options: { config: { type: 'string', short: 'c' }, role: { type: 'string' }, 'display-name': { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
    const [action, username] = positionals;
    if (!action || (action !== 'list' && !username)) throw new UsageError('expected an action and, except for list, a user name');
    const { config } = loadConfig(values.config);
    const { db } = await openStore(resolveDataPath(config, config.storage.database));
    const users = new UserStore(db);
    try {
      switch (action) {
        case 'list':
          for (const user of await users.list()) process.stdout.write(`${user.username}\t${user.role}\t${user.disabled ? 'disabled' : 'enabled'}\t${user.displayName}\n`);
          return 0;
        case 'add': {
          if (!values.role || !roles.includes(values.role as Role)) throw new UsageError(`--role must be one of ${roles.join(', ')}`);
          const password = await readPassword(`Mật khẩu cho ${username} / password for ${username}: `);
          await users.create({ username: username!, role: values.role as Role, password, ...(values['display-name'] ? { displayName: values['display-name'] } : {}) });
          process.stdout.write(`user ${username} added (${values.role})\n`);
          return 0;
        }
        case 'passwd':
          await users.setPassword(username!, await readPassword(`Mật khẩu mới / new password for ${username}: `));
          process.stdout.write(`password of ${username} changed\n`);
          return 0;
        case 'disable':
        case 'enable':
          await users.setDisabled(username!, action === 'disable');
          process.stdout.write(`user ${username} ${action}d\n`);
          return 0;
        default:
          throw new UsageError(`unknown action ${action}`);
      }
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      process.stderr.write(`diemcau user: ${error.message}\n`);
      return 1;
    } finally {
      await db.close();
    }
  },
};

/** One line from stdin; on a terminal the typed characters are not echoed. */
async function readPassword(prompt: string): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of input) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  }
  process.stderr.write(prompt);
  const rl = createInterface({ input, terminal: true });
  const mutable = rl as unknown as { _writeToOutput: (text: string) => void };
  mutable._writeToOutput = () => undefined;
  const line = await new Promise<string>((resolve) => rl.question('', resolve));
  rl.close();
  process.stderr.write('\n');
  return line;
}

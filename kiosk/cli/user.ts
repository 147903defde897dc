import { chown, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { loadConfig, resolveDataPath } from '../../config/load.js';
import { readsIdentities } from '../auth/auth-service.js';
import { AuthSessions } from '../auth/auth-sessions.js';
import { roles, type Role } from '../auth/roles.js';
import type { SecurityAlert } from '../auth/security-alert.js';
import { AuditLog } from '../evidence/audit-log.js';
import { FleetOutbox } from '../fleet/outbox.js';
import type { Database } from '../store/database.js';
import { UserError, UserStore } from '../auth/user-store.js';
import { UsageError, type Command } from './command.js';
import { describeError } from '../../hal/core/describe-error.js';

/**
 * Console accounts, managed on the device itself (the first administrator cannot be created
 * through the console). Passwords are read from standard input, never from the command line,
 * where `ps` and shell history would keep them. Giving an account a role that reads denouncers'
 * identities, or a new password to such an account, needs root here (or, in the console, a second
 * holder of that right); every change is in the audit log, and those two alert central monitoring.
 */
const CLI_ACTOR = { id: 'device-cli', role: 'root' };

function requireRoot(what: string): void {
  if (process.getuid?.() !== 0)
    throw new UserError(
      `${what} needs root at the device (sudo diemcau user …): it gives the right to read denouncers' identities`,
    );
}

/** The audit entry, and for identity rights an alert queued for central monitoring (sent by the daemon's fleet link). */
async function record(
  db: Database,
  action: string,
  target: string,
  detail: string,
  alert?: SecurityAlert['action'],
  role?: Role,
): Promise<void> {
  await new AuditLog(db).append(CLI_ACTOR, action, target, detail);
  if (alert)
    await new FleetOutbox(db).add('security-alert', {
      action: alert,
      target,
      ...(role ? { role } : {}),
      by: CLI_ACTOR.id,
      at: new Date().toISOString(),
    } satisfies SecurityAlert);
}
export const userCommand: Command = {
  name: 'user',
  summary: `console accounts: add NAME --role ${roles.join('|')}, list, passwd NAME, disable NAME, enable NAME (password on stdin)`,
  usage:
    'user add NAME --role ROLE [--display-name TEXT] | list | passwd NAME | disable NAME | enable NAME  [--config FILE]',
  async run(args, context) {
    const { values, positionals } = parseArgs({
      args,
      options: { config: { type: 'string', short: 'c' }, role: { type: 'string' }, 'display-name': { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
    const [action, username] = positionals;
    if (!action || (action !== 'list' && !username))
      throw new UsageError('expected an action and, except for list, a user name');
    // Checked before the database is opened: whoever is not root learns why, not a permission error.
    if (
      action === 'add' &&
      values.role &&
      roles.includes(values.role as Role) &&
      readsIdentities(values.role as Role)
    ) {
      try {
        requireRoot(`a ${values.role} account`);
      } catch (error) {
        process.stderr.write(`diemcau user: ${describeError(error)}\n`);
        return 1;
      }
    }
    const { config } = loadConfig(values.config);
    const { db } = await context.openDatabase(resolveDataPath(config, config.storage.database));
    const users = new UserStore(db);
    try {
      switch (action) {
        case 'list':
          for (const user of await users.list())
            process.stdout.write(
              `${user.username}\t${user.role}\t${user.disabled ? 'disabled' : 'enabled'}\t${user.displayName}\n`,
            );
          return 0;
        case 'add': {
          if (!values.role || !roles.includes(values.role as Role))
            throw new UsageError(`--role must be one of ${roles.join(', ')}`);
          const role = values.role as Role;
          const password = await readPassword(`Mật khẩu cho ${username} / password for ${username}: `);
          await users.create({
            username: username!,
            role,
            password,
            ...(values['display-name'] ? { displayName: values['display-name'] } : {}),
          });
          await record(
            db,
            readsIdentities(role) ? 'identity-role-granted' : 'user-created',
            username!,
            role,
            readsIdentities(role) ? 'identity-role-granted' : undefined,
            role,
          );
          process.stdout.write(`user ${username} added (${values.role})\n`);
          return 0;
        }
        case 'passwd': {
          const target = await users.byName(username!);
          const holder = target && readsIdentities(target.role);
          if (holder) requireRoot(`a new password for ${username} (${target.role})`);
          await users.setPassword(username!, await readPassword(`Mật khẩu mới / new password for ${username}: `));
          // A reset at the device (a compromised account) ends the account's logins at once.
          if (target) await new AuthSessions(db).revokeUser(target.id);
          await record(
            db,
            holder ? 'identity-password-reset' : 'password-changed',
            username!,
            target?.role ?? '',
            holder ? 'identity-password-reset' : undefined,
            target?.role,
          );
          process.stdout.write(`password of ${username} changed\n`);
          return 0;
        }
        case 'disable':
        case 'enable': {
          const target = await users.byName(username!);
          const regrant = action === 'enable' && target?.disabled && readsIdentities(target.role);
          if (regrant) requireRoot(`enabling ${username} (${target.role}) again`);
          await users.setDisabled(username!, action === 'disable');
          if (target && action === 'disable') await new AuthSessions(db).revokeUser(target.id);
          await record(
            db,
            action === 'disable' ? 'user-disabled' : regrant ? 'identity-account-enabled' : 'user-enabled',
            username!,
            target?.role ?? '',
            regrant ? 'identity-account-enabled' : undefined,
            target?.role,
          );
          process.stdout.write(`user ${username} ${action}d\n`);
          return 0;
        }
        default:
          throw new UsageError(`unknown action ${action}`);
      }
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      process.stderr.write(`diemcau user: ${error.message}\n`);
      return 1;
    } finally {
      await db.close();
      await giveBackToDaemon(resolveDataPath(config, config.storage.database));
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

/**
 * Run as root (sudo) before the daemon ever started, the CLI would leave a root-owned database the
 * daemon's own user (User=diemcau) cannot open: its files go to the owner of the data directory.
 */
async function giveBackToDaemon(database: string): Promise<void> {
  if (process.getuid?.() !== 0) return;
  const owner = await stat(dirname(database)).catch(() => undefined);
  if (!owner || owner.uid === 0) return;
  for (const suffix of ['', '-wal', '-shm'])
    await chown(database + suffix, owner.uid, owner.gid).catch(() => undefined);
}

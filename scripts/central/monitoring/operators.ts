import { mkdir } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { addOperator } from './http/operators.js';
import { MonitoringStore } from './store/monitoring-db.js';
import { describeError } from '../../../hal/core/describe-error.js';

const usage = `Adds a monitoring operator, or sets a new password (which ends the operator's sessions).

  node dist/scripts/central/monitoring/operators.js add --data-dir ./central/monitoring --user NAME

The password (at least 10 characters) is read from standard input: typed (not echoed) or piped.
`;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { 'data-dir': { type: 'string' }, user: { type: 'string' }, help: { type: 'boolean', default: false } },
  });
  if (values.help || positionals[0] !== 'add' || !values['data-dir'] || !values.user) {
    process.stdout.write(usage);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  const password = await readPassword();
  await mkdir(values['data-dir'], { recursive: true, mode: 0o700 });
  const store = await MonitoringStore.open(join(values['data-dir'], 'monitoring.sqlite'));
  try {
    await addOperator(store, values.user, password);
  } finally {
    await store.close();
  }
  process.stdout.write(`operator ${values.user} saved\n`);
}

function readPassword(): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  if (process.stdin.isTTY) {
    process.stdout.write('Password: ');
    // Echo nothing while the password is typed.
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => undefined;
  }
  return new Promise((resolve) =>
    rl.once('line', (line) => {
      rl.close();
      if (process.stdin.isTTY) process.stdout.write('\n');
      resolve(line);
    }),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`operators: ${describeError(error)}\n`);
  process.exitCode = 1;
});

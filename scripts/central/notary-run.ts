import { parseArgs } from 'node:util';
import { createLogger } from '../../kiosk/core/logger.js';
import { centralLayout } from '../../config/central-layout.js';
import { startNotary } from './notary.js';
import { describeError } from '../../hal/core/describe-error.js';

const usage = `Runs central's notary on its own (anchor receipts; see kiosk/evidence/ANCHORING.md), with the
monitoring credential of a central folder, until Ctrl-C. The monitoring service plugs in serveNotary instead.

  node dist/scripts/central/notary-run.js --dir DIR --server wss://HOST:PORT
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string' },
      server: { type: 'string', multiple: true },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || !values.dir || !values.server?.length) {
    process.stdout.write(usage);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  const layout = centralLayout(values.dir);
  const logger = createLogger('info').child({ component: 'notary' });
  const notary = await startNotary({
    servers: values.server,
    caFile: layout.caFile,
    seedFile: layout.monitoringSeedFile,
    notaryKeyFile: layout.notaryKeyFile,
    logger,
  });
  logger.info({ servers: values.server }, 'notary serving');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await notary.stop();
}

main().catch((error: unknown) => {
  process.stderr.write(`${describeError(error)}\n`);
  process.exitCode = 1;
});

import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { signatureSuffix, signBytes } from '../../kiosk/update/release-signature.js';

/**
 * `node dist/scripts/release/sign.js --key release-key.pem ARTIFACT…`: writes ARTIFACT.sig, the
 * detached Ed25519 signature devices check. Run where the private key is kept (an offline machine),
 * not on the build machine, when the two are separate.
 */
const { values, positionals } = parseArgs({
  options: { key: { type: 'string' } },
  allowPositionals: true,
  strict: true,
});
if (!values.key || positionals.length === 0) {
  process.stderr.write('usage: sign.js --key PRIVATE.pem ARTIFACT…\n');
  process.exit(2);
}
const key = await readFile(values.key, 'utf8');
for (const artifact of positionals) {
  await writeFile(`${artifact}${signatureSuffix}`, signBytes(await readFile(artifact), key));
  process.stdout.write(`${artifact}${signatureSuffix}\n`);
}

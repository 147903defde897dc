import { generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { keyIdOf } from '../../kiosk/update/release-signature.js';

/**
 * `node dist/scripts/release/keygen.js --out DIR [--name NAME]`: a release signing key pair.
 * NAME.key.pem (0600) signs releases and stays with the province's release manager; NAME.pem is the
 * public half every device trusts, in /etc/diemcau/release-keys/ (install-device.sh --trust NAME.pem).
 */
const { values } = parseArgs({
  options: { out: { type: 'string', default: '.' }, name: { type: 'string', default: 'release' } },
  strict: true,
});
const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const out = resolve(values.out!);
await writeFile(join(out, `${values.name}.key.pem`), privateKey.export({ type: 'pkcs8', format: 'pem' }), {
  mode: 0o600,
  flag: 'wx',
});
await writeFile(join(out, `${values.name}.pem`), publicKey.export({ type: 'spki', format: 'pem' }), {
  mode: 0o644,
  flag: 'wx',
});
process.stdout.write(
  `${JSON.stringify({ private: join(out, `${values.name}.key.pem`), public: join(out, `${values.name}.pem`), keyId: keyIdOf(publicKey) })}\n`,
);

import { execFile } from 'node:child_process';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A private CA and the server certificate it signs, for dev and test machines (a province uses its
 * own PKI). openssl, because node:crypto cannot issue X.509 certificates. EC P-256 keys, written 0600.
 */

export interface CertificateFiles {
  certFile: string;
  keyFile: string;
}

async function openssl(args: string[]): Promise<void> {
  await run('openssl', args).catch((error: Error & { stderr?: string }) => {
    throw new Error(`openssl ${args[0]} failed: ${(error.stderr ?? error.message).trim()}`);
  });
}

export async function createCa(dir: string, commonName: string, name = 'ca'): Promise<CertificateFiles> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const files = { certFile: join(dir, `${name}.pem`), keyFile: join(dir, `${name}.key`) };
  await openssl([
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    files.keyFile,
    '-out',
    files.certFile,
    '-days',
    '3650',
    '-subj',
    `/CN=${commonName}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE,pathlen:0',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  await chmod(files.keyFile, 0o600);
  return files;
}

/**
 * A server certificate for `hosts` (names and IP addresses, the first one also its common name), signed by `ca`.
 * `clientAuth` also lets it prove its holder when dialling: a cluster route is mutual TLS, each node a client of the other.
 */
export async function createServerCertificate(
  dir: string,
  ca: CertificateFiles,
  hosts: readonly string[],
  name = 'server',
  usage: { clientAuth?: boolean } = {},
): Promise<CertificateFiles> {
  if (hosts.length === 0) throw new Error('a server certificate needs at least one host name or address');
  for (const host of hosts)
    if (!/^[A-Za-z0-9.:-]+$/.test(host)) throw new Error(`${JSON.stringify(host)} is not a host name or an IP address`);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const files = { certFile: join(dir, `${name}.pem`), keyFile: join(dir, `${name}.key`) };
  const csr = join(dir, `${name}.csr`);
  const extensions = join(dir, `${name}.ext`);
  const san = hosts.map((host) => (isIP(host) ? `IP:${host}` : `DNS:${host}`)).join(',');
  await writeFile(
    extensions,
    `basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth${usage.clientAuth ? ',clientAuth' : ''}\nsubjectAltName=${san}\n`,
  );
  try {
    await openssl([
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      files.keyFile,
      '-out',
      csr,
      '-subj',
      `/CN=${hosts[0]}`,
    ]);
    await chmod(files.keyFile, 0o600);
    await openssl([
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      ca.certFile,
      '-CAkey',
      ca.keyFile,
      '-CAcreateserial',
      '-out',
      files.certFile,
      '-days',
      '825',
      '-extfile',
      extensions,
    ]);
  } finally {
    await rm(csr, { force: true });
    await rm(extensions, { force: true });
  }
  return files;
}

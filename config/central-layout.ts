import { join, resolve } from 'node:path';

/**
 * A central server's folder on one machine: the registry of rooms and their public keys
 * (central.json), the generated nats-server.conf, the dev CA and server certificate, the seeds to hand
 * over, and JetStream's file store.
 */
export function centralLayout(dir: string) {
  const root = resolve(dir);
  const credentials = join(root, 'credentials');
  return {
    dir: root,
    registryFile: join(root, 'central.json'),
    configFile: join(root, 'nats-server.conf'),
    tlsDir: join(root, 'tls'),
    caFile: join(root, 'tls', 'ca.pem'),
    caKeyFile: join(root, 'tls', 'ca.key'),
    certFile: join(root, 'tls', 'server.pem'),
    keyFile: join(root, 'tls', 'server.key'),
    credentialsDir: credentials,
    roomSeedFile: (roomId: string) => join(credentials, 'rooms', `${roomId}.nk`),
    monitoringSeedFile: join(credentials, 'monitoring.nk'),
    adminSeedFile: join(credentials, 'admin.nk'),
    /** The notary's Ed25519 private key (signs anchor receipts): secret, 0600; it never leaves this folder. */
    notaryKeyFile: join(credentials, 'notary-ed25519.pem'),
    /** Its public half, for every room's `fleet.notaryKeys` (the nkey-style `N…` line is in `notary-public.txt`). */
    notaryPublicKeyFile: join(root, 'notary-public.pem'),
    notaryPublicNkeyFile: join(root, 'notary-public.txt'),
    storeDir: join(root, 'jetstream'),
    /** A cluster node's config and JetStream store (the single-server files are not written for a cluster). */
    nodeConfigFile: (node: string) => join(root, `nats-server-${node}.conf`),
    nodeStoreDir: (node: string) => join(root, 'jetstream', node),
    routePasswordFile: join(credentials, 'cluster-route.secret'),
    /** Routes are mutual TLS: this certificate serves and also dials (clientAuth). */
    routeCertFile: join(root, 'tls', 'route.pem'),
    routeKeyFile: join(root, 'tls', 'route.key'),
  };
}
export type CentralLayout = ReturnType<typeof centralLayout>;

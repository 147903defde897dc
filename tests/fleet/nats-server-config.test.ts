import { describe, expect, it } from 'vitest';
import { websocketUrl } from '../../config/server-url.js';
import { createAccount, createUser } from '@nats-io/nkeys';
import {
  checkClusterSpec,
  loopbackCluster,
  peersOf,
  roomServerUrls,
  type ClusterSpec,
} from '../../scripts/central/cluster.js';
import { monitoringPermissions, roomPermissions } from '../../scripts/central/permissions.js';
import { natsServerConfig, type CentralServerConfig } from '../../scripts/central/server-config.js';

const key = () => createUser().getPublicKey();
const base = (): CentralServerConfig => ({
  serverName: 'tinh-test',
  client: { host: '127.0.0.1', port: 4222 },
  websocket: { host: '0.0.0.0', port: 443, certFile: '/etc/nats/server.pem', keyFile: '/etc/nats/server.key' },
  jetstream: { storeDir: '/var/lib/nats', maxFileBytes: 1024 ** 3, maxMemoryBytes: 64 * 1024 ** 2 },
  rooms: [
    { id: 'xa-an-binh', publicKey: key() },
    { id: 'phuong-1', publicKey: key() },
  ],
  monitoring: [{ name: 'monitoring', publicKey: key() }],
  admin: [{ name: 'admin', publicKey: key() }],
});

describe('permissions', () => {
  it('a room publishes only under its own subjects and its own KV key, and hears only its commands and its inbox', () => {
    expect(roomPermissions('xa-an-binh')).toEqual({
      publish: {
        allow: ['diemcau.v1.room.xa-an-binh.>', '$KV.diemcau-rooms.xa-an-binh', 'diemcau.v1.notary.xa-an-binh.receipt'],
      },
      subscribe: { allow: ['diemcau.v1.cmd.xa-an-binh.>', '_INBOX.xa-an-binh.>'] },
      allow_responses: { max: 1, expires: '5m' },
    });
  });

  it('monitoring sends commands and reads streams, but publishes nothing a room publishes and manages no stream', () => {
    const { publish, subscribe } = monitoringPermissions();
    expect(subscribe.allow).toEqual(['>']);
    expect(publish.allow).toContain('diemcau.v1.cmd.>');
    for (const forbidden of [
      'diemcau.v1.room.>',
      '$KV.diemcau-rooms.>',
      '$JS.API.>',
      '$JS.API.STREAM.CREATE.*',
      '$JS.API.STREAM.DELETE.*',
      '$JS.API.STREAM.PURGE.*',
      '$JS.API.STREAM.UPDATE.*',
      '>',
    ]) {
      expect(publish.allow).not.toContain(forbidden);
    }
  });
});

describe('nats-server.conf', () => {
  it('lists every user by nkey with its permissions, in one account with JetStream, behind a TLS websocket', () => {
    const input = base();
    const conf = natsServerConfig(input);
    expect(conf).toContain('server_name: "tinh-test"');
    expect(conf).toMatch(
      /websocket: \{\n {2}host: "0\.0\.0\.0"\n {2}port: 443\n {2}tls: \{\n {4}cert_file: "\/etc\/nats\/server\.pem"\n {4}key_file: "\/etc\/nats\/server\.key"\n {2}\}/,
    );
    expect(conf).toMatch(/accounts: \{\n {2}DIEMCAU: \{\n {4}jetstream: "enabled"\n {4}users: \[/);
    expect(conf).toContain('store_dir: "/var/lib/nats"');
    expect(conf).toContain('max_payload: 262144');
    expect(conf).toMatch(/handshake_timeout: "5s"\n {2}authorization: \{\n {4}timeout: 5\n {2}\}/);
    for (const room of input.rooms) expect(conf).toContain(`nkey: "${room.publicKey}"`);
    // `$KV…` stays quoted: unquoted, nats-server would read it as a variable.
    expect(conf).toContain('"$KV.diemcau-rooms.phuong-1"');
    expect(conf).not.toMatch(/^\s*\$KV/m);
    expect(conf.match(/nkey: /g)).toHaveLength(4);
    // The rooms answer commands; monitoring answers notary requests (anchor receipts).
    expect(conf.match(/allow_responses/g)).toHaveLength(3);
  });

  it.each<[string, (c: CentralServerConfig) => void, RegExp]>([
    [
      'a room listed twice',
      (c) => (c.rooms = [...c.rooms, { id: 'phuong-1', publicKey: key() }]),
      /room phuong-1 is listed twice/,
    ],
    ['a room id that is a wildcard', (c) => (c.rooms = [...c.rooms, { id: '*', publicKey: key() }]), /room "\*"/],
    ['a room id with a dot', (c) => (c.rooms = [...c.rooms, { id: 'a.b', publicKey: key() }]), /room "a\.b"/],
    [
      'two users with one key',
      (c) => (c.rooms = [...c.rooms, { id: 'phuong-2', publicKey: c.monitoring[0]!.publicKey }]),
      /same public key/,
    ],
    [
      'an account key for a user',
      (c) => (c.rooms = [...c.rooms, { id: 'phuong-2', publicKey: createAccount().getPublicKey() }]),
      /not an nkey user public key/,
    ],
    [
      'a key that is not a key',
      (c) => (c.rooms = [...c.rooms, { id: 'phuong-2', publicKey: 'UABC' }]),
      /not an nkey user public key/,
    ],
    ['the plain listener off loopback', (c) => (c.client = { host: '0.0.0.0', port: 4222 }), /stays on loopback/],
    [
      'the http monitoring endpoints off loopback',
      (c) => (c.http = { host: '10.0.0.5', port: 8222 }),
      /stay on loopback/,
    ],
    ['a path with a quote', (c) => (c.jetstream.storeDir = '/tmp/a"b'), /no quotes/],
    ['a lower-case account', (c) => (c.account = 'diemcau'), /account diemcau/],
  ])('refuses %s', (_name, change, error) => {
    const input = base();
    change(input);
    expect(() => natsServerConfig(input)).toThrow(error);
  });
});

const password = 'abcdefghijklmnopqrstuvwxyz012345';
const node = (): NonNullable<CentralServerConfig['cluster']> => ({
  name: 'tinh',
  host: '10.0.0.1',
  port: 6222,
  peers: ['10.0.0.2:6222', '10.0.0.3:6222'],
  auth: { user: 'route', password },
  tls: { certFile: '/etc/nats/route.pem', keyFile: '/etc/nats/route.key', caFile: '/etc/nats/ca.pem' },
});

describe('cluster', () => {
  it('a node routes to every other node over mutual TLS with the route credential, and announces the name rooms dial', () => {
    const conf = natsServerConfig({
      ...base(),
      websocket: { ...base().websocket, advertise: 'central-1.tinh.gov.vn:443' },
      cluster: node(),
    });
    expect(conf).toMatch(
      /cluster: \{\n {2}name: "tinh"\n {2}host: "10\.0\.0\.1"\n {2}port: 6222\n {2}authorization: \{\n {4}user: "route"\n {4}password: "abcdefghijklmnopqrstuvwxyz012345"/,
    );
    expect(conf).toContain('ca_file: "/etc/nats/ca.pem"');
    expect(conf).toContain(`"nats-route://route:${password}@10.0.0.2:6222"`);
    expect(conf).toContain(`"nats-route://route:${password}@10.0.0.3:6222"`);
    expect(conf).toContain('advertise: "central-1.tinh.gov.vn:443"');
    // 2.10-only options would stop a 2.9 server from starting.
    for (const option of ['pool_size', 'compression: {', 'no_advertise']) expect(conf).not.toContain(option);
  });

  it('a single server has no cluster block', () => {
    expect(natsServerConfig(base())).not.toMatch(/cluster|advertise/);
  });

  it.each<[string, (c: NonNullable<CentralServerConfig['cluster']>) => void, RegExp]>([
    ['no peer', (c) => (c.peers = []), /at least one other node/],
    ['a short route password', (c) => (c.auth.password = 'short'), /route password/],
    ['a password that needs URL escaping', (c) => (c.auth.password = `${password}@x`), /route password/],
    ['a peer that is not host:port', (c) => (c.peers = ['nats://10.0.0.2']), /host:port expected/],
    ['a cluster name with a space', (c) => (c.name = 'tinh a'), /cluster name/],
  ])('refuses %s', (_name, change, error) => {
    const cluster = node();
    change(cluster);
    expect(() => natsServerConfig({ ...base(), cluster })).toThrow(error);
  });

  it('a loopback cluster: three nodes, ports counting up, rooms list every node, each node routes to the two others', () => {
    const spec = loopbackCluster(3, { websocket: 8443, cluster: 6222, http: 8222 });
    expect(() => checkClusterSpec(spec)).not.toThrow();
    expect(roomServerUrls(spec)).toEqual(['wss://127.0.0.1:8443', 'wss://127.0.0.1:8444', 'wss://127.0.0.1:8445']);
    expect(peersOf(spec, spec.nodes[1]!)).toEqual(['127.0.0.1:6222', '127.0.0.1:6224']);
    expect(
      roomServerUrls({ name: 'x', nodes: [{ name: 'a', host: '::1', websocketPort: 1, clusterPort: 2 }] }),
    ).toEqual(['wss://[::1]:1']);
  });

  it.each<[string, (s: ClusterSpec) => ClusterSpec, RegExp]>([
    ['two nodes (an R3 stream needs three)', (s) => ({ ...s, nodes: s.nodes.slice(0, 2) }), /at least 3 nodes/],
    [
      'a node listed twice',
      (s) => ({ ...s, nodes: [...s.nodes, { ...s.nodes[0]!, websocketPort: 9000, clusterPort: 9001 }] }),
      /listed twice/,
    ],
    [
      'two nodes on one port of one host',
      (s) => ({ ...s, nodes: s.nodes.map((n, i) => (i === 1 ? { ...n, clusterPort: 6222 } : n)) }),
      /127\.0\.0\.1:6222 is used twice/,
    ],
    [
      'a port the server would pick',
      (s) => ({ ...s, nodes: s.nodes.map((n, i) => (i === 0 ? { ...n, websocketPort: -1 } : n)) }),
      /not a fixed port/,
    ],
  ])('refuses a cluster with %s', (_name, change, error) => {
    expect(() => checkClusterSpec(change(loopbackCluster(3, { websocket: 8443, cluster: 6222 })))).toThrow(error);
  });
});

describe('websocketUrl', () => {
  it('dials a wildcard listener on loopback and brackets IPv6', () => {
    expect(websocketUrl('0.0.0.0', 8443)).toBe('wss://127.0.0.1:8443');
    expect(websocketUrl('::', 8443)).toBe('wss://[::1]:8443');
    expect(websocketUrl('fd00::5', 443)).toBe('wss://[fd00::5]:443');
    expect(websocketUrl('central.tinh.gov.vn', 443)).toBe('wss://central.tinh.gov.vn:443');
  });
});

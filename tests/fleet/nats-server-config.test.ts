import { describe, expect, it } from 'vitest';
import { createAccount, createUser } from '@nats-io/nkeys';
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
      publish: { allow: ['diemcau.v1.room.xa-an-binh.>', '$KV.diemcau-rooms.xa-an-binh', 'diemcau.v1.notary.xa-an-binh.receipt'] },
      subscribe: { allow: ['diemcau.v1.cmd.xa-an-binh.>', '_INBOX.xa-an-binh.>'] },
      allow_responses: { max: 1, expires: '5m' },
    });
  });

  it('monitoring sends commands and reads streams, but publishes nothing a room publishes and manages no stream', () => {
    const { publish, subscribe } = monitoringPermissions();
    expect(subscribe.allow).toEqual(['>']);
    expect(publish.allow).toContain('diemcau.v1.cmd.>');
    for (const forbidden of ['diemcau.v1.room.>', '$KV.diemcau-rooms.>', '$JS.API.>', '$JS.API.STREAM.CREATE.*', '$JS.API.STREAM.DELETE.*', '$JS.API.STREAM.PURGE.*', '$JS.API.STREAM.UPDATE.*', '>']) {
      expect(publish.allow).not.toContain(forbidden);
    }
  });
});

describe('nats-server.conf', () => {
  it('lists every user by nkey with its permissions, in one account with JetStream, behind a TLS websocket', () => {
    const input = base();
    const conf = natsServerConfig(input);
    expect(conf).toContain('server_name: "tinh-test"');
    expect(conf).toMatch(/websocket: \{\n  host: "0\.0\.0\.0"\n  port: 443\n  tls: \{\n    cert_file: "\/etc\/nats\/server\.pem"\n    key_file: "\/etc\/nats\/server\.key"\n  \}/);
    expect(conf).toMatch(/accounts: \{\n  DIEMCAU: \{\n    jetstream: "enabled"\n    users: \[/);
    expect(conf).toContain('store_dir: "/var/lib/nats"');
    expect(conf).toContain('max_payload: 262144');
    for (const room of input.rooms) expect(conf).toContain(`nkey: "${room.publicKey}"`);
    // `$KV…` stays quoted: unquoted, nats-server would read it as a variable.
    expect(conf).toContain('"$KV.diemcau-rooms.phuong-1"');
    expect(conf).not.toMatch(/^\s*\$KV/m);
    expect(conf.match(/nkey: /g)).toHaveLength(4);
    // The rooms answer commands; monitoring answers notary requests (anchor receipts).
    expect(conf.match(/allow_responses/g)).toHaveLength(3);
  });

  it.each<[string, (c: CentralServerConfig) => void, RegExp]>([
    ['a room listed twice', (c) => (c.rooms = [...c.rooms, { id: 'phuong-1', publicKey: key() }]), /room phuong-1 is listed twice/],
    ['a room id that is a wildcard', (c) => (c.rooms = [...c.rooms, { id: '*', publicKey: key() }]), /room "\*"/],
    ['a room id with a dot', (c) => (c.rooms = [...c.rooms, { id: 'a.b', publicKey: key() }]), /room "a\.b"/],
    ['two users with one key', (c) => (c.rooms = [...c.rooms, { id: 'phuong-2', publicKey: c.monitoring[0]!.publicKey }]), /same public key/],
    ['an account key for a user', (c) => (c.rooms = [...c.rooms, { id: 'phuong-2', publicKey: createAccount().getPublicKey() }]), /not an nkey user public key/],
    ['a key that is not a key', (c) => (c.rooms = [...c.rooms, { id: 'phuong-2', publicKey: 'UABC' }]), /not an nkey user public key/],
    ['the plain listener off loopback', (c) => (c.client = { host: '0.0.0.0', port: 4222 }), /stays on loopback/],
    ['the http monitoring endpoints off loopback', (c) => (c.http = { host: '10.0.0.5', port: 8222 }), /stay on loopback/],
    ['a path with a quote', (c) => (c.jetstream.storeDir = '/tmp/a"b'), /no quotes/],
    ['a lower-case account', (c) => (c.account = 'diemcau'), /account diemcau/],
  ])('refuses %s', (_name, change, error) => {
    const input = base();
    change(input);
    expect(() => natsServerConfig(input)).toThrow(error);
  });
});

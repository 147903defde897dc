import { readFile } from 'node:fs/promises';
import { wsconnect, type ConnectionOptions, type NatsConnection, type WsSocketFactory } from '@nats-io/nats-core';
import WebSocket from 'ws';
import { nkeyAuthenticator, userFromSeed, type NkeyUser } from '../keys/nkey.js';
import { checkServerUrl } from '../../../config/server-url.js';
import { subjects } from './subjects.js';
import { describeError } from '../../../hal/core/describe-error.js';

/**
 * The one way this code base dials nats-server: over a websocket, `wss://` verified against a CA
 * (or `ws://` to this machine only), authenticated by an nkey: the seed never leaves the process, the
 * server sees a signature of its nonce. Used by the room and by central monitoring's own tools.
 */

/** The nkey user whose seed is in `file` (as scripts/central/init.ts writes it: one line, 0600). */
export async function readUserCredential(file: string): Promise<NkeyUser> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new Error(`cannot read the credential ${file}: ${error.code ?? error.message}`);
  });
  try {
    return userFromSeed(text);
  } catch (error) {
    throw new Error(`${file}: ${describeError(error)}`);
  }
}

/** Connection options a caller may tune; TLS, transport and authentication are not among them. */
export type LinkOptions = Pick<
  ConnectionOptions,
  | 'name'
  | 'timeout'
  | 'reconnect'
  | 'maxReconnectAttempts'
  | 'reconnectTimeWait'
  | 'reconnectJitter'
  | 'pingInterval'
  | 'maxPingOut'
  | 'waitOnFirstConnect'
  | 'ignoreClusterUpdates'
>;

export interface ConnectOptions {
  servers: string | string[];
  user: NkeyUser;
  /** PEM file of the CA(s) the server's certificate must chain to; without it, the system's trusted CAs. */
  caFile?: string;
  /** Where this client's request replies come back: a room must use its own (`_INBOX.<room>`). */
  inboxPrefix?: string;
  options?: LinkOptions;
}

export async function connectVerified(options: ConnectOptions): Promise<NatsConnection> {
  const servers = [options.servers].flat();
  if (servers.length === 0) throw new Error('no NATS server given');
  for (const server of servers) {
    const checked = checkServerUrl(server);
    if (!checked.ok) throw new Error(checked.error);
  }
  const ca = options.caFile
    ? await readFile(options.caFile).catch((error: NodeJS.ErrnoException) => {
        throw new Error(`cannot read the CA file ${options.caFile}: ${error.code ?? error.message}`);
      })
    : undefined;
  // Servers a cluster announces come through here too: each is checked like the configured ones.
  const wsFactory: WsSocketFactory = async (url) => {
    const checked = checkServerUrl(url);
    if (!checked.ok) throw new Error(checked.error);
    const socket = new WebSocket(url, { ...(ca ? { ca } : {}), rejectUnauthorized: true, maxPayload: 8 * 1024 * 1024 });
    return {
      socket: socket as unknown as Awaited<ReturnType<WsSocketFactory>>['socket'],
      encrypted: checked.url.protocol === 'wss:',
    };
  };
  return wsconnect({
    ...options.options,
    servers,
    wsFactory,
    authenticator: nkeyAuthenticator(options.user),
    ...(options.inboxPrefix ? { inboxPrefix: options.inboxPrefix } : {}),
  });
}

export interface RoomConnectOptions {
  servers: string | string[];
  credential: { roomId: string; user: NkeyUser };
  caFile?: string;
  options?: LinkOptions;
}

/** A room's link: its own inbox prefix, so that JetStream acknowledgements reach it through its permissions. */
export function connectRoom({ servers, credential, caFile, options }: RoomConnectOptions): Promise<NatsConnection> {
  return connectVerified({
    servers,
    user: credential.user,
    inboxPrefix: subjects.inboxPrefix(credential.roomId),
    ...(caFile ? { caFile } : {}),
    options: { name: `room:${credential.roomId}`, ...options },
  });
}

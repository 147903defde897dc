import { connect, createServer, type Socket } from 'node:net';

export interface ByteCounts {
  /** Bytes the client sent (room → server). */
  up: number;
  /** Bytes the server sent (server → room). */
  down: number;
  /** Reads on each side: about one per TCP segment burst, for an estimate of the IP/TCP headers the counts leave out. */
  upReads: number;
  downReads: number;
  connections: number;
}

export interface ByteCountingProxy {
  port: number;
  counts(): ByteCounts;
  /** Starts counting afresh (connections stay open). */
  reset(): void;
  /** Cuts every connection through it, as a link failing would (new ones are still accepted). */
  cut(): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy on 127.0.0.1 that counts the bytes each way as they travel: the TLS records of a
 * websocket, exactly what the room's link puts on the wire above TCP. Pure Node `net`; the bytes
 * are passed on untouched.
 */
export async function startByteCountingProxy(target: { host: string; port: number }): Promise<ByteCountingProxy> {
  let counts: ByteCounts = { up: 0, down: 0, upReads: 0, downReads: 0, connections: 0 };
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    counts.connections++;
    const upstream = connect(target);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.on('data', (chunk: Buffer) => {
      counts.up += chunk.length;
      counts.upReads++;
    });
    upstream.on('data', (chunk: Buffer) => {
      counts.down += chunk.length;
      counts.downReads++;
    });
    client.pipe(upstream);
    upstream.pipe(client);
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as { port: number }).port,
    counts: () => ({ ...counts }),
    reset: () => {
      counts = { up: 0, down: 0, upReads: 0, downReads: 0, connections: counts.connections };
    },
    cut: () => {
      for (const socket of sockets) socket.destroy();
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

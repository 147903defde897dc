import { isIP } from 'node:net';

/** Which server URLs a room may dial, so that credentials and commands never travel in clear. Pure. */

export type ServerUrlCheck = { ok: true; url: URL } | { ok: false; error: string };

/** `wss://` anywhere, `ws://` only to loopback; nothing else (the websocket transport would silently turn `nats://` into `ws://`). */
export function checkServerUrl(raw: string): ServerUrlCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, error: `${JSON.stringify(raw)} is not a URL (expected wss://host:port)` };
  }
  if (url.username || url.password)
    return { ok: false, error: `${url.protocol}//${url.host}: credentials do not belong in the URL` };
  if (url.protocol === 'wss:') return { ok: true, url };
  if (url.protocol === 'ws:') {
    if (isLoopback(url.hostname)) return { ok: true, url };
    return {
      ok: false,
      error: `ws://${url.host} is not encrypted: only wss:// may leave this machine (ws:// is for 127.0.0.1, ::1 and localhost)`,
    };
  }
  return { ok: false, error: `${url.protocol}//${url.host}: only wss:// (or ws:// to loopback) is supported` };
}

/**
 * The `wss://` URL to dial a websocket listener at `host:port`: a wildcard listener (0.0.0.0, ::) is
 * dialled on this machine's loopback, an IPv6 address goes in brackets. The one place such URLs are
 * written (room configs, the monitoring service, the load generator, cluster nodes).
 */
export function websocketUrl(host: string, port: number): string {
  return `wss://${urlHost(host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host)}:${port}`;
}

/** A host as it goes into a URL or a host:port pair: IPv6 addresses in brackets. */
export function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.split('.')[0] === '127';
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(host);
  return false;
}

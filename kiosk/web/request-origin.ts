import { isIP } from 'node:net';

/**
 * Which requests a server accepts, by Host and Origin (pure; the middleware and the websocket
 * upgrade in web-service.ts apply it). A page on another site must not change anything here, and a
 * DNS name pointed at this device (rebinding) must not read anything either.
 */
export interface OriginPolicy {
  /** `http` or `https`: the scheme of this server, for the same-origin comparison. */
  scheme: 'http' | 'https';
  /** Host names (without port) accepted besides IP literals when `anyIp` is set. */
  hostNames: string[];
  /** The console answers on any of the device's addresses; the kiosk only on loopback. */
  anyIp: boolean;
}

export type OriginVerdict = { ok: true } | { ok: false; status: 403 | 415 | 421; code: string; message: string };

const stateChanging = (method: string) => !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());

/** `name`, `name:port`, `[v6]`, `[v6]:port` → the host part, lower case; undefined when malformed. */
export function hostPart(host: string | undefined): string | undefined {
  if (!host) return undefined;
  const bracketed = /^\[([0-9a-fA-F:.]+)\](?::\d{1,5})?$/.exec(host);
  if (bracketed) return bracketed[1]!.toLowerCase();
  const plain = /^([A-Za-z0-9.-]+)(?::\d{1,5})?$/.exec(host);
  return plain ? plain[1]!.toLowerCase() : undefined;
}

export function hostAllowed(host: string | undefined, policy: OriginPolicy): boolean {
  const name = hostPart(host);
  if (!name) return false;
  if (policy.anyIp && isIP(name)) return true;
  return policy.hostNames.some((allowed) => allowed.toLowerCase() === name);
}

/**
 * The verdict for one request. Browsers send `Origin` with every cross-origin request that can
 * change state and with every websocket handshake; clients that are not browsers (the CLI, curl,
 * monitoring) send none and are not a cross-site risk, so a missing Origin is accepted.
 */
export function originVerdict(
  request: {
    method: string;
    host?: string;
    origin?: string;
    fetchSite?: string;
    contentType?: string;
    upgrade?: boolean;
  },
  policy: OriginPolicy,
): OriginVerdict {
  if (!hostAllowed(request.host, policy))
    return {
      ok: false,
      status: 421,
      code: 'bad_host',
      message: `this device does not answer to the host name ${JSON.stringify(request.host ?? '')}`,
    };
  const changes = request.upgrade || stateChanging(request.method);
  if (!changes) return { ok: true };
  if (request.origin !== undefined && request.origin !== `${policy.scheme}://${request.host}`) {
    return {
      ok: false,
      status: 403,
      code: 'cross_origin',
      message: `requests from ${request.origin} are refused: only this device's own pages may send them`,
    };
  }
  if (request.fetchSite === 'cross-site')
    return { ok: false, status: 403, code: 'cross_origin', message: 'cross-site requests are refused' };
  if (!request.upgrade && !/^application\/json(\s*;|$)/i.test(request.contentType ?? '')) {
    return {
      ok: false,
      status: 415,
      code: 'json_required',
      message: 'state-changing requests must be sent as application/json, even without a body',
    };
  }
  return { ok: true };
}

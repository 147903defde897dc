/** The parts of an RTSP URL the probe needs; credentials are kept out of the request line and logs. */
export interface RtspTarget {
  secure: boolean;
  host: string;
  port: number;
  /** The URL without user:password, as sent in the request line. */
  requestUri: string;
}

export function rtspTarget(url: string): RtspTarget {
  const parsed = new URL(url);
  const secure = parsed.protocol === 'rtsps:';
  if (!secure && parsed.protocol !== 'rtsp:') throw new Error(`not an RTSP URL: ${parsed.protocol}`);
  parsed.username = '';
  parsed.password = '';
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  return { secure, host, port: parsed.port ? Number(parsed.port) : secure ? 322 : 554, requestUri: parsed.toString() };
}

/** RTSP/1.0 OPTIONS (RFC 2326 §10.1): the cheapest request every server must answer. */
export function formatOptionsRequest(requestUri: string, cseq: number): string {
  return `OPTIONS ${requestUri} RTSP/1.0\r\nCSeq: ${cseq}\r\nUser-Agent: diemcau\r\n\r\n`;
}

export interface RtspResponseHead {
  status: number;
  reason: string;
  /** Header names lower-cased. */
  headers: Record<string, string>;
}

/**
 * Parses a response head once it is complete (`\r\n\r\n` seen): undefined while more bytes are
 * needed, an Error for anything that is not RTSP (an HTTP server, a closed port's banner, noise).
 */
export function parseResponseHead(buffer: string): RtspResponseHead | undefined | Error {
  if (buffer.length >= 5 && !buffer.startsWith('RTSP/'))
    return new Error(`not an RTSP answer: ${JSON.stringify(buffer.slice(0, 40))}`);
  const end = buffer.indexOf('\r\n\r\n');
  if (end < 0) return buffer.length > 16 * 1024 ? new Error('RTSP response head too long') : undefined;
  const [statusLine, ...headerLines] = buffer.slice(0, end).split('\r\n');
  const status = /^RTSP\/1\.\d (\d{3}) ?(.*)$/.exec(statusLine!);
  if (!status) return new Error(`malformed RTSP status line: ${JSON.stringify(statusLine!.slice(0, 80))}`);
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(status[1]), reason: status[2] ?? '', headers };
}

/**
 * Whether an answer means "the camera is there". 401 counts: OPTIONS needs no auth on most cameras,
 * and on those that demand it the media pipeline authenticates with the URL's credentials.
 */
export function isAlive(head: RtspResponseHead): boolean {
  return (head.status >= 200 && head.status < 300) || head.status === 401;
}

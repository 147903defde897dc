import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import {
  formatOptionsRequest,
  isAlive,
  parseResponseHead,
  type RtspResponseHead,
  type RtspTarget,
} from './protocol.js';

/**
 * Connects, sends OPTIONS and waits for the answer, all within `timeoutMs`. Resolves with the
 * response head; rejects on refusal, timeout, garbage, a CSeq mismatch or a status that is not alive.
 */
export function probeRtsp(target: RtspTarget, timeoutMs: number, cseq = 1): Promise<RtspResponseHead> {
  return new Promise((resolve, reject) => {
    let received = '';
    let settled = false;
    const socket: Socket = target.secure
      ? // Cameras ship self-signed certificates; this probe sends no credentials, so it only asks "is it there".
        connectTls({ host: target.host, port: target.port, rejectUnauthorized: false })
      : connectTcp({ host: target.host, port: target.port });
    const finish = (error: Error | undefined, head?: RtspResponseHead) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(head!);
    };
    const timer = setTimeout(
      () => finish(new Error(`no RTSP answer from ${target.host}:${target.port} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.setEncoding('latin1');
    socket.once(target.secure ? 'secureConnect' : 'connect', () =>
      socket.write(formatOptionsRequest(target.requestUri, cseq)),
    );
    socket.on('data', (chunk: string) => {
      received += chunk;
      const head = parseResponseHead(received);
      if (head === undefined) return;
      if (head instanceof Error) return finish(head);
      if (head.headers.cseq !== undefined && head.headers.cseq !== String(cseq))
        return finish(new Error(`RTSP answer for CSeq ${head.headers.cseq}, expected ${cseq}`));
      if (!isAlive(head)) return finish(new Error(`camera answered RTSP ${head.status} ${head.reason}`.trim()));
      finish(undefined, head);
    });
    socket.on('error', (error) => finish(new Error(`${target.host}:${target.port}: ${error.message}`)));
    socket.on('close', () => finish(new Error(`${target.host}:${target.port} closed the connection before answering`)));
  });
}

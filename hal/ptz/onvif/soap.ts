import { createHash, timingSafeEqual } from 'node:crypto';
import { child, escapeXml, parseXml, textOf, type XmlElement } from './xml.js';

/**
 * SOAP 1.2 as ONVIF uses it, for the camera emulator: read a request (its action and its WS-Security
 * UsernameToken), write answers and faults. Pure: no sockets, no clock of its own.
 */

export const NS = {
  soap: 'http://www.w3.org/2003/05/soap-envelope',
  device: 'http://www.onvif.org/ver10/device/wsdl',
  media: 'http://www.onvif.org/ver10/media/wsdl',
  ptz: 'http://www.onvif.org/ver20/ptz/wsdl',
  schema: 'http://www.onvif.org/ver10/schema',
  error: 'http://www.onvif.org/ver10/error',
} as const;

export interface UsernameToken {
  username: string;
  /** `digest`: base64(SHA-1(nonce ‖ created ‖ password)), the only kind ONVIF cameras must accept. */
  kind: 'digest' | 'text';
  password: string;
  nonce: string;
  created: string;
}

export interface SoapRequest {
  /** Local name of the body's first element: `GetProfiles`, `ContinuousMove`… */
  action: string;
  body: XmlElement;
  token: UsernameToken | undefined;
}

export function parseSoapRequest(xml: string): SoapRequest {
  const envelope = parseXml(xml);
  if (envelope.name !== 'Envelope') throw new Error(`not a SOAP envelope: <${envelope.name}>`);
  const body = child(envelope, 'Body')?.children[0];
  if (!body) throw new Error('SOAP body is empty');
  const tokenElement = child(envelope, 'Header', 'Security', 'UsernameToken');
  let token: UsernameToken | undefined;
  if (tokenElement) {
    const password = child(tokenElement, 'Password');
    token = {
      username: textOf(tokenElement, 'Username') ?? '',
      kind: password?.attributes.Type?.endsWith('#PasswordText') ? 'text' : 'digest',
      password: password?.text.trim() ?? '',
      nonce: textOf(tokenElement, 'Nonce') ?? '',
      created: textOf(tokenElement, 'Created') ?? '',
    };
  }
  return { action: body.name, body, token };
}

export function passwordDigest(nonceBase64: string, created: string, password: string): string {
  return createHash('sha1')
    .update(
      Buffer.concat([Buffer.from(nonceBase64, 'base64'), Buffer.from(created, 'utf8'), Buffer.from(password, 'utf8')]),
    )
    .digest('base64');
}

export type TokenCheck = { ok: true } | { ok: false; reason: string };

/**
 * ONVIF Core §5.12: a UsernameToken with a digest, and `Created` within `maxSkewMs` of the camera's
 * clock (cameras differ; Axis refuses a few seconds off, many allow minutes). Replayed nonces are the
 * caller's to track, since that needs memory.
 */
export function checkUsernameToken(
  token: UsernameToken | undefined,
  users: ReadonlyMap<string, string>,
  cameraNow: Date,
  maxSkewMs: number,
): TokenCheck {
  if (!token) return { ok: false, reason: 'no WS-Security UsernameToken' };
  const password = users.get(token.username);
  if (password === undefined) return { ok: false, reason: 'unknown user' };
  const expected = token.kind === 'digest' ? passwordDigest(token.nonce, token.created, password) : password;
  const given = Buffer.from(token.password);
  if (given.length !== Buffer.byteLength(expected) || !timingSafeEqual(given, Buffer.from(expected)))
    return { ok: false, reason: 'wrong password' };
  const created = Date.parse(token.created);
  if (Number.isNaN(created)) return { ok: false, reason: 'Created is not a date' };
  if (Math.abs(created - cameraNow.getTime()) > maxSkewMs)
    return { ok: false, reason: 'Created is too far from the camera clock' };
  return { ok: true };
}

export function soapEnvelope(body: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<s:Envelope xmlns:s="${NS.soap}" xmlns:tds="${NS.device}" xmlns:trt="${NS.media}" xmlns:tptz="${NS.ptz}" xmlns:tt="${NS.schema}" xmlns:ter="${NS.error}">` +
    `<s:Body>${body}</s:Body></s:Envelope>`
  );
}

/** A SOAP fault with ONVIF's two-level subcodes, e.g. `Sender` / `ter:NotAuthorized`. */
export interface SoapFault {
  code: 'Sender' | 'Receiver';
  subcode: string;
  reason: string;
}

export function soapFault(fault: SoapFault): string {
  return soapEnvelope(
    `<s:Fault><s:Code><s:Value>s:${fault.code}</s:Value><s:Subcode><s:Value>${escapeXml(fault.subcode)}</s:Value></s:Subcode></s:Code>` +
      `<s:Reason><s:Text xml:lang="en">${escapeXml(fault.reason)}</s:Text></s:Reason></s:Fault>`,
  );
}

/** The HTTP status ONVIF pairs with a fault: 400 for the client's mistakes, 500 for the camera's. */
export const faultStatus = (fault: SoapFault): number => (fault.code === 'Sender' ? 400 : 500);

export const faults = {
  notAuthorized: { code: 'Sender', subcode: 'ter:NotAuthorized', reason: 'Sender not Authorized' },
  actionNotSupported: (action: string): SoapFault => ({
    code: 'Receiver',
    subcode: 'ter:ActionNotSupported',
    reason: `Optional Action Not Implemented: ${action}`,
  }),
  invalidArg: (reason: string): SoapFault => ({ code: 'Sender', subcode: 'ter:InvalidArgVal', reason }),
  noProfile: { code: 'Sender', subcode: 'ter:NoProfile', reason: 'The requested profile token does not exist' },
  noPreset: { code: 'Sender', subcode: 'ter:NoToken', reason: 'The requested preset token does not exist' },
  tooManyPresets: { code: 'Receiver', subcode: 'ter:TooManyPresets', reason: 'Maximum number of presets reached' },
} satisfies Record<string, SoapFault | ((arg: string) => SoapFault)>;

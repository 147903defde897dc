import { describe, expect, it } from 'vitest';
import { OnvifCameraModel } from '../../../../hal/ptz/onvif/camera-model.js';
import { classifyOnvifError } from '../../../../hal/ptz/onvif/client.js';
import { describeProbeMatch, withoutCredentials } from '../../../../hal/ptz/onvif/discovery.js';
import { defaultProfiles, durationMs, probeMessageId, vectorOf } from '../../../../hal/ptz/onvif/emulator.js';
import { clockDriftSeconds, credentialProblem, presetName, velocityOf } from '../../../../hal/ptz/onvif/mapping.js';
import { deviceService } from '../../../../kiosk/ip-cameras/onvif-setup.js';
import { checkUsernameToken, parseSoapRequest, passwordDigest, soapFault } from '../../../../hal/ptz/onvif/soap.js';
import { parseXml, textOf } from '../../../../hal/ptz/onvif/xml.js';

describe('XML reader', () => {
  it('drops prefixes, reads attributes, text, entities and CDATA', () => {
    const root = parseXml(
      '<?xml version="1.0"?><s:Envelope xmlns:s="x"><s:Body><t:A k="1 &amp; 2">x &lt; y<![CDATA[ <raw> ]]></t:A><B/></s:Body></s:Envelope>',
    );
    expect(root.name).toBe('Envelope');
    const a = root.children[0]!.children[0]!;
    expect(a).toMatchObject({ name: 'A', attributes: { k: '1 & 2' }, text: 'x < y <raw> ' });
    expect(root.children[0]!.children[1]!.name).toBe('B');
  });

  it.each(['<a><b></a>', '<a>', 'plain text', '<a/><b/>', '<a></a><'])('refuses malformed input %j', (xml) => {
    expect(() => parseXml(xml)).toThrow();
  });
});

describe('WS-Security UsernameToken', () => {
  // The ONVIF Application Programmer's Guide example (§6.1.1.3).
  it('digest = base64(SHA-1(nonce ‖ created ‖ password)), as the guide computes it', () => {
    expect(passwordDigest('LKqI6G/AikKCQrN0zqZFlg==', '2010-09-16T07:50:45Z', 'userpassword')).toBe(
      'tuOSpGlFlIXsozq4HFNeeGeFLEI=',
    );
  });

  const users = new Map([['admin', 'userpassword']]);
  const token = {
    username: 'admin',
    kind: 'digest' as const,
    password: 'tuOSpGlFlIXsozq4HFNeeGeFLEI=',
    nonce: 'LKqI6G/AikKCQrN0zqZFlg==',
    created: '2010-09-16T07:50:45Z',
  };
  const at = new Date('2010-09-16T07:51:00Z');
  it.each([
    ['the right digest', token, { ok: true }],
    ['no token', undefined, { ok: false, reason: 'no WS-Security UsernameToken' }],
    ['another user', { ...token, username: 'root' }, { ok: false, reason: 'unknown user' }],
    ['a wrong digest', { ...token, password: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=' }, { ok: false, reason: 'wrong password' }],
    [
      'a digest of another nonce',
      { ...token, nonce: 'AAAAAAAAAAAAAAAAAAAAAA==' },
      { ok: false, reason: 'wrong password' },
    ],
  ])('%s', (_what, given, expected) => {
    expect(checkUsernameToken(given, users, at, 60_000)).toEqual(expected);
  });

  it('refuses a Created too far from the camera clock', () => {
    expect(checkUsernameToken(token, users, new Date('2010-09-16T08:50:45Z'), 60_000)).toEqual({
      ok: false,
      reason: 'Created is too far from the camera clock',
    });
  });

  it('reads the action and the token of a request as the npm onvif client writes it', () => {
    const request = parseSoapRequest(
      '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Header><Security s:mustUnderstand="1" xmlns="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"><UsernameToken><Username>admin</Username>' +
        '<Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest">tuOSpGlFlIXsozq4HFNeeGeFLEI=</Password><Nonce EncodingType="…#Base64Binary">LKqI6G/AikKCQrN0zqZFlg==</Nonce>' +
        '<Created xmlns="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">2010-09-16T07:50:45Z</Created></UsernameToken></Security></s:Header>' +
        '<s:Body><ContinuousMove xmlns="http://www.onvif.org/ver20/ptz/wsdl"><ProfileToken>main</ProfileToken><Velocity><PanTilt x="0.5" y="-0.25" xmlns="http://www.onvif.org/ver10/schema"/></Velocity><Timeout>PT1.5S</Timeout></ContinuousMove></s:Body></s:Envelope>',
    );
    expect(request.action).toBe('ContinuousMove');
    expect(request.token).toEqual(token);
    expect(textOf(request.body, 'ProfileToken')).toBe('main');
    expect(vectorOf(request.body.children.find((c) => c.name === 'Velocity'))).toEqual({ x: 0.5, y: -0.25 });
    expect(durationMs(textOf(request.body, 'Timeout')!)).toBe(1500);
  });

  it('a fault carries the subcode and the reason the client reads', () => {
    const xml = soapFault({ code: 'Sender', subcode: 'ter:NotAuthorized', reason: 'Sender not Authorized' });
    expect(xml).toContain('<s:Value>s:Sender</s:Value><s:Subcode><s:Value>ter:NotAuthorized</s:Value>');
    expect(xml).toContain('<s:Text xml:lang="en">Sender not Authorized</s:Text>');
  });
});

describe('emulated camera model', () => {
  const at = (clock: { t: number }) =>
    new OnvifCameraModel({ profiles: defaultProfiles, now: () => clock.t, unitsPerSecond: 0.5 });

  it('integrates a continuous move over time, clamps to the space, stops on Stop', () => {
    const clock = { t: 0 };
    const model = at(clock);
    model.continuousMove({ x: 1, y: -0.5 });
    clock.t = 1000;
    expect(model.position()).toEqual({ x: 0.5, y: -0.25, zoom: 0 });
    clock.t = 5000;
    expect(model.position()).toEqual({ x: 1, y: -1, zoom: 0 });
    model.stop(true, true);
    clock.t = 9000;
    expect(model.position()).toEqual({ x: 1, y: -1, zoom: 0 });
    expect(model.moving).toBe(false);
  });

  it('a continuous move with a timeout stops by itself; a zoom-only move leaves pan and tilt running', () => {
    const clock = { t: 0 };
    const model = at(clock);
    model.continuousMove({ x: 1, y: 0 }, 1000);
    model.continuousMove({ zoom: 1 }, 1000);
    clock.t = 3000;
    expect(model.position()).toEqual({ x: 0.5, y: 0, zoom: 0.5 });
    expect(model.moving).toBe(false);
  });

  it('presets: stored where the head is, recalled, overwritten by token, refused when memory is full', () => {
    const clock = { t: 0 };
    const model = new OnvifCameraModel({ profiles: defaultProfiles, now: () => clock.t, maxPresets: 2 });
    model.absoluteMove({ x: 0.3, y: 0.2, zoom: 0.1 });
    const first = model.setPreset('a')!;
    model.relativeMove({ x: -0.5 });
    expect(model.position()).toEqual({ x: -0.2, y: 0.2, zoom: 0.1 });
    expect(model.setPreset('b')).toBeDefined();
    expect(model.setPreset('c')).toBeUndefined();
    expect(model.gotoPreset(first)).toBe(true);
    expect(model.position()).toEqual({ x: 0.3, y: 0.2, zoom: 0.1 });
    model.absoluteMove({ x: 0 });
    expect(model.setPreset('a', first)).toBe(first);
    expect(model.presets().find((p) => p.token === first)!.position.x).toBe(0);
    expect(model.gotoPreset('nope')).toBe(false);
  });
});

describe('mapping and discovery parsing', () => {
  it.each([
    [1, 0, 0.5, { x: 0.5, y: 0 }],
    [-1, 1, 2, { x: -1, y: 1 }],
    [0, -1, -3, { x: 0, y: -0 }],
  ] as const)('velocity of pan %d tilt %d at speed %d', (pan, tilt, speed, expected) => {
    expect(velocityOf(pan, tilt, speed)).toEqual(expected);
  });

  it('names presets by slot', () => {
    expect(presetName(7)).toBe('diemcau-7');
  });

  it.each([
    ['2026-12-01T10:00:03Z', '2026-12-01T10:00:00.200Z', 3],
    ['2026-12-01T10:00:00Z', '2026-12-01T10:00:00.700Z', 0],
    ['2026-12-01T09:59:50Z', '2026-12-01T10:00:00.100Z', -10],
  ])('clock drift: camera %s, room %s → %d s', (camera, room, drift) => {
    expect(clockDriftSeconds(new Date(camera), new Date(room)).driftSeconds).toBe(drift);
  });

  it('reads a ProbeMatch: endpoint, the http XAddr, name and hardware scopes', () => {
    expect(
      describeProbeMatch({
        probeMatches: {
          probeMatch: {
            endpointReference: { address: 'urn:uuid:1' },
            XAddrs: 'http://[fe80::1]/onvif/device_service http://192.168.1.64:8000/onvif/device_service',
            scopes:
              'onvif://www.onvif.org/type/ptz onvif://www.onvif.org/name/HIKVISION onvif://www.onvif.org/hardware/DS-2DE4425IW%20DE',
          },
        },
      }),
    ).toEqual({
      endpoint: 'urn:uuid:1',
      xaddr: 'http://[fe80::1]/onvif/device_service',
      host: 'fe80::1',
      port: 80,
      path: '/onvif/device_service',
      name: 'HIKVISION',
      hardware: 'DS-2DE4425IW DE',
    });
    expect(
      describeProbeMatch({
        probeMatches: { probeMatch: { endpointReference: { address: 'urn:uuid:2' }, XAddrs: 'soap.udp://x' } },
      }),
    ).toBeUndefined();
  });

  it('answers probes for video transmitters (or for anything), not other WS-Discovery traffic', () => {
    const probe = (types: string) =>
      `<Envelope><Header><MessageID>urn:uuid:m</MessageID></Header><Body><Probe><Types>${types}</Types></Probe></Body></Envelope>`;
    expect(probeMessageId(probe('dn:NetworkVideoTransmitter'))).toBe('urn:uuid:m');
    expect(probeMessageId(probe(''))).toBe('urn:uuid:m');
    expect(probeMessageId(probe('wsdp:Device'))).toBeUndefined();
    expect(probeMessageId('<Envelope><Body><Hello/></Body></Envelope>')).toBeUndefined();
    expect(probeMessageId('not xml')).toBeUndefined();
  });

  it('strips credentials from stream addresses', () => {
    expect(withoutCredentials('rtsp://admin:s3cret@10.0.0.5:554/Streaming/Channels/101')).toBe(
      'rtsp://10.0.0.5:554/Streaming/Channels/101',
    );
  });

  it.each([
    [new Error('GetStatus: ONVIF SOAP Fault: Sender not Authorized'), 'auth'],
    [new Error('Digest authentication failed 401'), 'auth'],
    [new Error('Network timeout'), 'timeout'],
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:80'), { code: 'ECONNREFUSED' }), 'unreachable'],
    [new Error('ONVIF SOAP Fault: The requested preset token does not exist'), 'fault'],
  ])('classifies %s', (error, failure) => {
    expect(classifyOnvifError(error)).toBe(failure);
  });

  it.each([
    ['admin', 'Abc-123 !x', undefined],
    ['admin', 'Mật-khẩu', 'the ONVIF password must be printable ASCII (the onvif client digests it as ASCII)'],
    ['a&b', 'secret', 'the ONVIF user name must be printable ASCII without < > & \' "'],
    ['quản-trị', 'secret', 'the ONVIF user name must be printable ASCII without < > & \' "'],
  ])('credentials the npm client can carry: %s / %s', (username, password, problem) => {
    expect(credentialProblem(username, password)).toBe(problem);
  });

  it.each([
    ['http://192.168.1.64/onvif/device_service', { host: '192.168.1.64', port: 80, path: '/onvif/device_service' }],
    ['http://[fe80::1]:8000/onvif/device_service', { host: 'fe80::1', port: 8000, path: '/onvif/device_service' }],
  ])('device service of %s', (xaddr, expected) => {
    expect(deviceService(xaddr)).toEqual(expected);
  });
});

import { describe, expect, it } from 'vitest';
import { canCapture, parseV4l2Info } from '../../../hal/camera/v4l2/info.js';
import { formatOptionsRequest, isAlive, parseResponseHead, rtspTarget } from '../../../hal/camera/rtsp/protocol.js';

const c920All = `Driver Info:
	Driver name      : uvcvideo
	Card type        : HD Pro Webcam C920
	Bus info         : usb-0000:00:14.0-1
	Driver version   : 6.1.0
	Capabilities     : 0x84a00001
		Video Capture
		Metadata Capture
		Streaming
		Extended Pix Format
		Device Capabilities
	Device Caps      : 0x04200001
		Video Capture
		Streaming
		Extended Pix Format
Priority: 2
Video input : 0 (Camera 1: ok)
Format Video Capture:
	Width/Height      : 1920/1080
	Pixel Format      : 'MJPG' (Motion-JPEG)
	Field             : None
`;

const metadataNode = `Driver Info:
	Driver name      : uvcvideo
	Card type        : HD Pro Webcam C920
	Bus info         : usb-0000:00:14.0-1
	Device Caps      : 0x04a00000
		Metadata Capture
		Streaming
		Extended Pix Format
Priority: 2
`;

describe('parseV4l2Info (v4l2-ctl --all)', () => {
  it('reads driver, card, bus, node capabilities and format', () => {
    const info = parseV4l2Info(c920All);
    expect(info).toEqual({
      driver: 'uvcvideo',
      card: 'HD Pro Webcam C920',
      busInfo: 'usb-0000:00:14.0-1',
      deviceCaps: ['Video Capture', 'Streaming', 'Extended Pix Format'],
      width: 1920,
      height: 1080,
      pixelFormat: 'MJPG',
    });
    expect(canCapture(info)).toBe(true);
  });

  it('tells a UVC metadata node from the capture node', () => {
    const info = parseV4l2Info(metadataNode);
    expect(info.deviceCaps).toEqual(['Metadata Capture', 'Streaming', 'Extended Pix Format']);
    expect(canCapture(info)).toBe(false);
  });

  it('tolerates empty output', () => {
    expect(parseV4l2Info('')).toEqual({ deviceCaps: [] });
  });
});

describe('RTSP probe protocol', () => {
  it.each([
    [
      'rtsp://192.168.10.20/stream1',
      { secure: false, host: '192.168.10.20', port: 554, requestUri: 'rtsp://192.168.10.20/stream1' },
    ],
    [
      'rtsp://admin:s3cret@cam.local:8554/live?ch=1',
      { secure: false, host: 'cam.local', port: 8554, requestUri: 'rtsp://cam.local:8554/live?ch=1' },
    ],
    ['rtsps://[fe80::1]/main', { secure: true, host: 'fe80::1', port: 322, requestUri: 'rtsps://[fe80::1]/main' }],
  ])('target of %s', (url, expected) => {
    expect(rtspTarget(url)).toEqual(expected);
  });

  it('formats OPTIONS byte-exact', () => {
    expect(formatOptionsRequest('rtsp://cam.local:8554/live', 7)).toBe(
      'OPTIONS rtsp://cam.local:8554/live RTSP/1.0\r\nCSeq: 7\r\nUser-Agent: diemcau\r\n\r\n',
    );
  });

  it.each([
    [
      'RTSP/1.0 200 OK\r\nCSeq: 1\r\nPublic: OPTIONS, DESCRIBE, SETUP, TEARDOWN, PLAY\r\n\r\n',
      { status: 200, reason: 'OK', headers: { cseq: '1', public: 'OPTIONS, DESCRIBE, SETUP, TEARDOWN, PLAY' } },
    ],
    [
      'RTSP/1.0 401 Unauthorized\r\nCSeq: 2\r\nWWW-Authenticate: Digest realm="IPC"\r\n\r\n',
      { status: 401, reason: 'Unauthorized', headers: { cseq: '2', 'www-authenticate': 'Digest realm="IPC"' } },
    ],
    ['RTSP/1.0 200 OK\r\nCSeq: 1\r\n', undefined],
    ['RTS', undefined],
  ])('parses head %#', (text, expected) => {
    expect(parseResponseHead(text)).toEqual(expected);
  });

  it.each([
    ['HTTP/1.1 400 Bad Request\r\n\r\n', /not an RTSP answer/],
    ['\u0000\u00ff\u0013garbage', /not an RTSP answer/],
    ['RTSP/1.0 abc\r\n\r\n', /malformed RTSP status line/],
  ])('refuses %j', (text, message) => {
    const result = parseResponseHead(text);
    expect(result).toBeInstanceOf(Error);
    expect((result as Error).message).toMatch(message);
  });

  it.each([
    [200, true],
    [401, true],
    [404, false],
    [454, false],
    [503, false],
  ])('status %d alive: %s', (status, alive) => {
    expect(isAlive({ status, reason: '', headers: {} })).toBe(alive);
  });
});

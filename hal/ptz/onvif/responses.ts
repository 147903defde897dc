import { escapeXml as x } from './xml.js';
import type { MediaProfile, Preset, PtzVector } from './camera-model.js';

/** Bodies of the ONVIF answers the emulator gives, as the Profile S WSDLs name their elements. Pure. */

export interface CameraIdentity {
  manufacturer: string;
  model: string;
  firmwareVersion: string;
  serialNumber: string;
  hardwareId: string;
}

export function systemDateAndTime(now: Date): string {
  return (
    `<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:DateTimeType>NTP</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings>` +
    `<tt:TimeZone><tt:TZ>ICT-7</tt:TZ></tt:TimeZone><tt:UTCDateTime><tt:Time><tt:Hour>${now.getUTCHours()}</tt:Hour><tt:Minute>${now.getUTCMinutes()}</tt:Minute><tt:Second>${now.getUTCSeconds()}</tt:Second></tt:Time>` +
    `<tt:Date><tt:Year>${now.getUTCFullYear()}</tt:Year><tt:Month>${now.getUTCMonth() + 1}</tt:Month><tt:Day>${now.getUTCDate()}</tt:Day></tt:Date></tt:UTCDateTime>` +
    `</tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>`
  );
}

export interface ServiceAddresses {
  device: string;
  media: string;
  ptz: string;
}

export function services(addresses: ServiceAddresses): string {
  const service = (namespace: string, address: string, major: number) =>
    `<tds:Service><tds:Namespace>${namespace}</tds:Namespace><tds:XAddr>${x(address)}</tds:XAddr><tds:Version><tt:Major>${major}</tt:Major><tt:Minor>0</tt:Minor></tds:Version></tds:Service>`;
  return (
    `<tds:GetServicesResponse>${service('http://www.onvif.org/ver10/device/wsdl', addresses.device, 2)}` +
    `${service('http://www.onvif.org/ver10/media/wsdl', addresses.media, 2)}${service('http://www.onvif.org/ver20/ptz/wsdl', addresses.ptz, 2)}</tds:GetServicesResponse>`
  );
}

export function capabilities(addresses: ServiceAddresses): string {
  return (
    `<tds:GetCapabilitiesResponse><tds:Capabilities><tt:Device><tt:XAddr>${x(addresses.device)}</tt:XAddr></tt:Device>` +
    `<tt:Media><tt:XAddr>${x(addresses.media)}</tt:XAddr></tt:Media><tt:PTZ><tt:XAddr>${x(addresses.ptz)}</tt:XAddr></tt:PTZ></tds:Capabilities></tds:GetCapabilitiesResponse>`
  );
}

export function deviceInformation(identity: CameraIdentity): string {
  return (
    `<tds:GetDeviceInformationResponse><tds:Manufacturer>${x(identity.manufacturer)}</tds:Manufacturer><tds:Model>${x(identity.model)}</tds:Model>` +
    `<tds:FirmwareVersion>${x(identity.firmwareVersion)}</tds:FirmwareVersion><tds:SerialNumber>${x(identity.serialNumber)}</tds:SerialNumber>` +
    `<tds:HardwareId>${x(identity.hardwareId)}</tds:HardwareId></tds:GetDeviceInformationResponse>`
  );
}

export const VIDEO_SOURCE = 'video-source-0';

function profile(p: MediaProfile): string {
  return (
    `<trt:Profiles token="${x(p.token)}" fixed="true"><tt:Name>${x(p.name)}</tt:Name>` +
    `<tt:VideoSourceConfiguration token="vsc-0"><tt:Name>video source</tt:Name><tt:UseCount>2</tt:UseCount><tt:SourceToken>${VIDEO_SOURCE}</tt:SourceToken><tt:Bounds x="0" y="0" width="1920" height="1080"/></tt:VideoSourceConfiguration>` +
    `<tt:VideoEncoderConfiguration token="vec-${x(p.token)}"><tt:Name>${x(p.name)}</tt:Name><tt:UseCount>1</tt:UseCount><tt:Encoding>${p.encoding}</tt:Encoding>` +
    `<tt:Resolution><tt:Width>${p.width}</tt:Width><tt:Height>${p.height}</tt:Height></tt:Resolution><tt:Quality>5</tt:Quality>` +
    `<tt:RateControl><tt:FrameRateLimit>${p.fps}</tt:FrameRateLimit><tt:EncodingInterval>1</tt:EncodingInterval><tt:BitrateLimit>${p.bitrateKbps}</tt:BitrateLimit></tt:RateControl></tt:VideoEncoderConfiguration>` +
    `<tt:PTZConfiguration token="ptz-0"><tt:Name>ptz</tt:Name><tt:UseCount>2</tt:UseCount><tt:NodeToken>ptz-node-0</tt:NodeToken></tt:PTZConfiguration></trt:Profiles>`
  );
}

export function profiles(list: readonly MediaProfile[]): string {
  return `<trt:GetProfilesResponse>${list.map(profile).join('')}</trt:GetProfilesResponse>`;
}

export function videoSources(): string {
  return `<trt:GetVideoSourcesResponse><trt:VideoSources token="${VIDEO_SOURCE}"><tt:Framerate>25</tt:Framerate><tt:Resolution><tt:Width>1920</tt:Width><tt:Height>1080</tt:Height></tt:Resolution></trt:VideoSources></trt:GetVideoSourcesResponse>`;
}

export function streamUri(uri: string): string {
  return `<trt:GetStreamUriResponse><trt:MediaUri><tt:Uri>${x(uri)}</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect><tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT0S</tt:Timeout></trt:MediaUri></trt:GetStreamUriResponse>`;
}

const vector = (v: PtzVector) => `<tt:PanTilt x="${v.x}" y="${v.y}"/><tt:Zoom x="${v.zoom}"/>`;

export function ptzStatus(position: PtzVector, moving: boolean, now: Date): string {
  const state = moving ? 'MOVING' : 'IDLE';
  return (
    `<tptz:GetStatusResponse><tptz:PTZStatus><tt:Position>${vector(position)}</tt:Position>` +
    `<tt:MoveStatus><tt:PanTilt>${state}</tt:PanTilt><tt:Zoom>${state}</tt:Zoom></tt:MoveStatus><tt:UtcTime>${now.toISOString()}</tt:UtcTime></tptz:PTZStatus></tptz:GetStatusResponse>`
  );
}

export function presets(list: readonly Preset[]): string {
  return `<tptz:GetPresetsResponse>${list.map((p) => `<tptz:Preset token="${x(p.token)}"><tt:Name>${x(p.name)}</tt:Name><tt:PTZPosition>${vector(p.position)}</tt:PTZPosition></tptz:Preset>`).join('')}</tptz:GetPresetsResponse>`;
}

export const setPreset = (token: string) =>
  `<tptz:SetPresetResponse><tptz:PresetToken>${x(token)}</tptz:PresetToken></tptz:SetPresetResponse>`;

/** An empty `<XResponse/>` for the operations that answer nothing but success. */
export const empty = (prefix: 'tds' | 'trt' | 'tptz', action: string) => `<${prefix}:${action}Response/>`;

/** WS-Discovery ProbeMatches (2005/04), answering a Probe's MessageID. */
export function probeMatches(options: {
  relatesTo: string;
  messageId: string;
  endpoint: string;
  xaddrs: string[];
  scopes: string[];
}): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl">` +
    `<s:Header><a:MessageID>${x(options.messageId)}</a:MessageID><a:RelatesTo>${x(options.relatesTo)}</a:RelatesTo>` +
    `<a:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:To><a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</a:Action></s:Header>` +
    `<s:Body><d:ProbeMatches><d:ProbeMatch><a:EndpointReference><a:Address>${x(options.endpoint)}</a:Address></a:EndpointReference>` +
    `<d:Types>dn:NetworkVideoTransmitter</d:Types><d:Scopes>${x(options.scopes.join(' '))}</d:Scopes><d:XAddrs>${x(options.xaddrs.join(' '))}</d:XAddrs>` +
    `<d:MetadataVersion>1</d:MetadataVersion></d:ProbeMatch></d:ProbeMatches></s:Body></s:Envelope>`
  );
}

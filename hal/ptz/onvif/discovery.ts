import onvif from 'onvif';
import { OnvifClient, type DeviceIdentity, type OnvifEndpoint, type StreamProfile } from './client.js';
import { clockDriftSeconds } from './mapping.js';

// The library's Discovery is a process-wide EventEmitter that emits 'error' for any stray datagram on
// its socket; with no listener that would be thrown, uncaught. Errors are collected per probe instead.
onvif.Discovery.on('error', () => undefined);

/** A camera that answered a WS-Discovery probe: where its device service is, and what its scopes say. */
export interface DiscoveredOnvifCamera {
  /** The camera's stable WS-Addressing endpoint (`urn:uuid:…`), the same across address changes. */
  endpoint: string;
  /** Device service address, as the camera gave it (the one matching the sender's address first). */
  xaddr: string;
  host: string;
  port: number;
  path: string;
  /** From the `onvif://www.onvif.org/name/…` and `…/hardware/…` scopes, when the camera sets them. */
  name?: string;
  hardware?: string;
}

interface ProbeMatch {
  probeMatches?: { probeMatch?: { endpointReference?: { address?: unknown }; XAddrs?: unknown; scopes?: unknown } };
}

/** Pure: one raw ProbeMatch (as the library flattens it) into what the console lists; undefined if unusable. */
export function describeProbeMatch(match: ProbeMatch): DiscoveredOnvifCamera | undefined {
  const probe = match.probeMatches?.probeMatch;
  const endpoint = probe?.endpointReference?.address;
  const xaddrs = typeof probe?.XAddrs === 'string' ? probe.XAddrs.split(/\s+/).filter(Boolean) : [];
  const http = xaddrs
    .map((x) => (URL.canParse(x) ? new URL(x) : undefined))
    .find((u) => u && (u.protocol === 'http:' || u.protocol === 'https:'));
  if (typeof endpoint !== 'string' || !http) return undefined;
  const scopes = typeof probe?.scopes === 'string' ? probe.scopes.split(/\s+/) : [];
  const scope = (kind: string) => {
    const found = scopes.find((s) => s.startsWith(`onvif://www.onvif.org/${kind}/`));
    return found ? decodeURIComponent(found.slice(`onvif://www.onvif.org/${kind}/`.length)) : undefined;
  };
  const camera: DiscoveredOnvifCamera = {
    endpoint,
    xaddr: http.toString(),
    host: http.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: http.port ? Number(http.port) : http.protocol === 'https:' ? 443 : 80,
    path: http.pathname,
  };
  const name = scope('name');
  const hardware = scope('hardware');
  if (name) camera.name = name;
  if (hardware) camera.hardware = hardware;
  return camera;
}

/** One WS-Discovery Probe for NetworkVideoTransmitters on the multicast group; answers collected for `timeoutMs`. */
export function probeOnvifCameras(timeoutMs: number): Promise<DiscoveredOnvifCamera[]> {
  return new Promise((resolve) => {
    onvif.Discovery.probe({ timeout: timeoutMs, resolve: false }, (_errors, found) => {
      const cameras = new Map<string, DiscoveredOnvifCamera>();
      for (const match of (found ?? []) as ProbeMatch[]) {
        const camera = describeProbeMatch(match);
        if (camera && !cameras.has(camera.endpoint)) cameras.set(camera.endpoint, camera);
      }
      resolve([...cameras.values()].sort((a, b) => a.xaddr.localeCompare(b.xaddr)));
    });
  });
}

export interface ProfileWithStream extends StreamProfile {
  /** The profile's RTSP address without any user:password a camera may have put in it. */
  streamUrl: string;
}

export interface OnvifCameraDescription {
  identity: DeviceIdentity;
  profiles: ProfileWithStream[];
  clock: { driftSeconds: number; checkedAt: string };
}

/** Drops userinfo from a URL: credentials go to the secrets file, never into config, logs or answers. */
export function withoutCredentials(url: string): string {
  if (!URL.canParse(url)) return url;
  const parsed = new URL(url);
  parsed.username = '';
  parsed.password = '';
  return parsed.toString();
}

/** Logs in and reads what the technician chooses from: model, profiles and each profile's stream address. */
export async function describeOnvifCamera(endpoint: OnvifEndpoint): Promise<OnvifCameraDescription> {
  const client = await OnvifClient.connect(endpoint);
  const clock = clockDriftSeconds(await client.cameraTime(), new Date());
  const identity = await client.deviceInformation();
  const profiles: ProfileWithStream[] = [];
  for (const profile of await client.profiles())
    profiles.push({ ...profile, streamUrl: withoutCredentials(await client.streamUri(profile.token)) });
  return { identity, profiles, clock };
}

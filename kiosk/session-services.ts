import type express from 'express';
import type { DeviceConfig } from '../config/schema.js';
import { resolveDataPath } from '../config/load.js';
import type { Devices } from '../hal/registry.js';
import type { EventBus } from './core/event-bus.js';
import type { Logger } from './core/logger.js';
import type { Database } from './store/database.js';
import { createChecks } from './readiness/checks/index.js';
import { GstProbe } from './readiness/gst-probe.js';
import type { MediaProbePort, TestRecorder } from './readiness/ports.js';
import { ReadinessService } from './readiness/readiness-service.js';
import { readinessConsoleRouter, readinessKioskRouter } from './readiness/routes.js';
import { auditUnavailable } from './session/fallbacks.js';
import type { AuditPort, RecordingPort } from './session/ports.js';
import { expectedRecordingBytes } from './session/recording-size.js';
import { sessionConsoleRouter, sessionKioskRouter } from './session/routes.js';
import { SessionService } from './session/session-service.js';

export interface SessionWiring {
  config: DeviceConfig;
  database: () => Database;
  devices: () => Devices;
  bus: EventBus;
  logger: Logger;
  /** The recording service (kiosk/recording): a session's recording from its start to its seal. */
  recordings: RecordingPort & TestRecorder;
  /** The evidence store's audit log; without it confidential identities cannot be read. */
  audit?: AuditPort;
  /** The media engine's probes; without them short gst-launch probes of the configured devices. */
  mediaProbe?: MediaProbePort;
}

/** Builds the session and readiness services and their routers from the device config. */
export function createSessionServices(wiring: SessionWiring): {
  sessions: SessionService;
  readiness: ReadinessService;
  routes: { kiosk: express.Router[]; console: express.Router[] };
} {
  const { config, bus, logger } = wiring;
  const expectedBytes = (seconds: number) =>
    expectedRecordingBytes(
      { videoKbps: config.media.video.bitrateKbps, audioKbps: config.media.audioBitrateKbps },
      seconds,
    );
  const sessions = new SessionService({
    database: wiring.database,
    identityKeyPath: resolveDataPath(config, 'keys/identity.key'),
    recordings: wiring.recordings,
    audit: wiring.audit ?? auditUnavailable,
    expectedBytes,
    bus,
    logger: logger.child({ component: 'sessions' }),
    startWindow: config.session.startWindow,
    timeZone: config.room.timezone,
    resetMicrophone: async () => {
      const audio = wiring.devices().audio;
      if (audio?.muted) await audio.setMuted(false);
    },
  });
  const media = wiring.mediaProbe ?? new GstProbe(config.hal.camera, config.hal.audio);
  const readiness = new ReadinessService({
    database: wiring.database,
    checks: () =>
      createChecks({
        devices: wiring.devices,
        media,
        admit: (bytes) => wiring.recordings.admit(bytes),
        recorder: wiring.recordings,
        expectedBytes,
        upsMarginSeconds: config.hal.power.marginSeconds,
        videoFps: config.media.video.fps,
      }),
    sessions,
    bus,
    logger: logger.child({ component: 'readiness' }),
  });
  return {
    sessions,
    readiness,
    routes: {
      kiosk: [sessionKioskRouter(sessions), readinessKioskRouter(readiness)],
      console: [sessionConsoleRouter(sessions), readinessConsoleRouter(readiness)],
    },
  };
}

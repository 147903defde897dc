import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DeviceConfig } from '../config/schema.js';
import { projectRoot, resolveDataPath } from '../config/load.js';
import { AuthService } from './auth/auth-service.js';
import { FleetService } from './fleet/fleet-service.js';
import { createRoomMetrics, metricsHandler } from './web/metrics.js';
import type { RecentLogs } from './core/recent-logs.js';
import { healthReport, powerHealthOf } from './web/health.js';
import { createEventBus } from './core/event-bus.js';
import { evidenceConsoleRouter, playbackRouter } from './evidence/routes.js';
import { EvidenceService } from './evidence/evidence-service.js';
import type { Logger } from './core/logger.js';
import { ServiceHost } from './core/service.js';
import { audioRouter } from './hardware/routes.js';
import { HardwareService } from './hardware/hardware-service.js';
import { OnvifSetup } from './ip-cameras/onvif-setup.js';
import { onvifConsoleRouter } from './ip-cameras/routes.js';
import { PowerService } from './power/power-service.js';
import { PtzService } from './ptz/ptz-service.js';
import { ptzConsoleRouter, ptzKioskRouter } from './ptz/routes.js';
import { DiscoveryService } from './room/discovery-service.js';
import { discoveryConsoleRouter } from './room/routes.js';
import { DisplayScheduleService } from './room/display-schedule-service.js';
import { RoomSignalsService } from './room/room-signals-service.js';
import { sessionCalendarFrom } from './room/session-calendar.js';
import { SpeakerTrackingService } from './room/speaker-tracking-service.js';
import { TechnicianCallService } from './room/technician-call-service.js';
import { isFinished, type SessionState } from './session/state-machine.js';
import { createSessionServices } from './session-services.js';
import { MediaService } from './media/media-service.js';
import { RecordingService } from './recording/recording-service.js';
import { storagePolicyFrom } from './media/storage-policy.js';
import { mediaRouter } from './media/routes.js';
import { PlaybackCache } from './evidence/playback-cache.js';
import { createSampler } from './fleet/telemetry/sampler.js';
import { expectedRecordingBytes } from './session/recording-size.js';
import { ConfigFile } from './settings/config-file.js';
import { settingsRouter } from './settings/routes.js';
import { logRouter, systemRouter } from './web/routes.js';
import { requireCapability } from './auth/middleware.js';
import { planFromConfig } from './media/plan.js';
import type { ReadinessService } from './readiness/readiness-service.js';
import type { SessionService } from './session/session-service.js';
import { StoreService } from './store/store-service.js';
import { WebService } from './web/web-service.js';
import { migrations } from './database-schema.js';
import { authRouter } from './auth/routes.js';
import { UpdateService } from './update/update-service.js';
import { updateConsoleRouter } from './update/routes.js';

export const version: string = JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')).version;

export interface App {
  host: ServiceHost;
  store: StoreService;
  hardware: HardwareService;
  ptz: PtzService;
  evidence: EvidenceService;
  auth: AuthService;
  sessions: SessionService;
  power: PowerService;
  readiness: ReadinessService;
  fleet: FleetService;
  web: WebService;
  media: MediaService;
  recordings: RecordingService;
  update: UpdateService;
}

/** The composition root: builds every service in start order. Adding a feature = one line here. */
/**
 * `recentLogs`: the daemon's log lines kept in memory (kiosk/main.ts), for central monitoring's `recent-logs`
 * and the console's log tail. `configFile`: the file the config came from, which the console may edit.
 */
export function createApp(config: DeviceConfig, logger: Logger, recentLogs?: RecentLogs, configFile?: string): App {
  const startedAt = Date.now();
  const bus = createEventBus(logger);
  const host = new ServiceHost(logger);

  const store = new StoreService(
    resolveDataPath(config, config.storage.database),
    version,
    logger.child({ component: 'store' }),
    migrations,
  );
  const hardware = new HardwareService(config.hal, bus, logger);
  const ptz = new PtzService({
    db: () => store.db,
    device: () => hardware.devices.ptz,
    bus,
    logger: logger.child({ component: 'ptz' }),
  });
  const onvifSetup = new OnvifSetup({
    secretsDir: resolveDataPath(config, 'secrets'),
    logger: logger.child({ component: 'ip-cameras' }),
  });
  const evidence = new EvidenceService({
    config,
    db: () => store.db,
    bus,
    logger: logger.child({ component: 'evidence' }),
  });
  // All GStreamer lives in a supervised worker process; it records only when a session asks it to.
  const media = new MediaService({
    plan: planFromConfig(config),
    bus,
    logger: logger.child({ component: 'media' }),
    workerLogLevel: config.log.level,
    timeZone: config.room.timezone,
  });
  // The one owner of a recording's life: folder, storage admission, start/resume/stop, timeline, seal.
  const recordings = new RecordingService({
    recordingsDir: resolveDataPath(config, config.storage.recordingsDir),
    policy: storagePolicyFrom(config),
    media,
    evidence,
    owner: () => sessions,
    reserve: () => store.reserve,
    bus,
    logger: logger.child({ component: 'recordings' }),
  });
  const {
    sessions,
    readiness,
    routes: sessionRoutes,
  } = createSessionServices({
    config,
    database: () => store.db,
    devices: () => hardware.devices,
    bus,
    logger,
    recordings,
    audit: evidence,
  });
  // On battery: alert; when the battery cannot outlast finalizing a recording, end the live session, then shut down.
  const power = new PowerService({
    ups: () => hardware.devices.ups,
    session: sessions,
    config: config.hal.power,
    bus,
    logger: logger.child({ component: 'power' }),
  });
  // Room automation: display asleep outside reception hours, camera following the talker, buttons and lamps, device discovery.
  const room = config.roomAutomation;
  const roomLogger = logger.child({ component: 'room' });
  const displaySchedule = new DisplayScheduleService({
    config: room.display,
    timeZone: config.room.timezone,
    display: () => hardware.devices.display,
    calendar: sessionCalendarFrom({ listSessions: (range) => sessions.store.listSessions(range) }, (state) =>
      isFinished(state as SessionState),
    ),
    logger: roomLogger,
  });
  const speakerTracking = new SpeakerTrackingService({
    config: room.speakerTracking,
    doa: config.hal.audio.doa ?? { driver: 'none' },
    presets: ptz,
    hasPtz: () => Boolean(hardware.devices.ptz),
    bus,
    logger: roomLogger,
  });
  const roomSignals = new RoomSignalsService({
    gpio: () => hardware.devices.gpio,
    audio: () => hardware.devices.audio,
    bus,
    logger: roomLogger,
  });
  const discovery = new DiscoveryService({ config: room.discovery, bus, logger: roomLogger });
  const technicianCalls = new TechnicianCallService({
    bus,
    logger: roomLogger,
    db: () => store.db,
    audit: evidence,
    liveSession: () => sessions.activeSession(),
  });
  const healthSource = {
    services: () => host.statuses(),
    devices: () => hardware.snapshots(),
    media: () => media.health(),
    recording: () => recordings.health(),
    power: () => powerHealthOf(hardware.devices.ups),
  };
  const healthMeta = {
    version,
    startedAt,
    room: { id: config.room.id, name: config.room.name, role: config.room.role, timeZone: config.room.timezone },
  };
  const health = () => healthReport(healthSource, healthMeta);
  // Software updates: checked and handed to the updater, a process of its own (kiosk/update). Started
  // after the fleet, so the outcome of an update made while the daemon was stopped reaches central.
  const update = new UpdateService({ config, version, sessions, bus, logger: logger.child({ component: 'update' }) });
  // Central monitoring over NATS: readiness, session states (never identities), alerts, room state; commands in.
  const fleet = new FleetService({
    config: config.fleet,
    room: config.room,
    version,
    db: () => store.db,
    bus,
    logger: logger.child({ component: 'fleet' }),
    health,
    sessions,
    readiness: {
      run: (request) => readiness.run(request),
      lastRun: async () => (await readiness.store.list({ limit: 1 }))[0],
      runsFor: (sessionId) => readiness.store.list({ sessionId, limit: 20 }),
    },
    machine: { paths: [resolveDataPath(config, config.storage.recordingsDir), '/'], ups: () => hardware.devices.ups },
    update,
    ...(recentLogs ? { recentLogs: (count: number) => recentLogs.newest(count) } : {}),
  });
  const metrics = createRoomMetrics({
    health,
    disk: () => {
      const disk = evidence.lastDisk;
      return disk ? { path: disk.path, freeBytes: disk.freeBytes, totalBytes: disk.totalBytes } : undefined;
    },
    fleet: async () => ({ state: fleet.state, pendingEvents: await fleet.pendingEvents() }),
  });
  const auth = new AuthService({
    db: () => store.db,
    logger: logger.child({ component: 'auth' }),
    secureCookies: Boolean(config.web.console.tls),
    audit: evidence,
    bus,
  });
  const recordingsPath = resolveDataPath(config, config.storage.recordingsDir);
  // Recordings remuxed for the console's player, kept while watched (a copy of evidence: see its rules).
  const playbackCache = new PlaybackCache({
    dir: resolveDataPath(config, 'playback-cache'),
    logger: logger.child({ component: 'playback' }),
  });
  const system = systemRouter({
    sample: createSampler({ version, paths: [recordingsPath, '/'], health, ups: () => hardware.devices.ups }),
    disk: () => evidence.checkDisk(),
    bytesPerHour: expectedRecordingBytes(
      { videoKbps: config.media.video.bitrateKbps, audioKbps: config.media.audioBitrateKbps },
      3600,
    ),
    fleet: () => ({ enabled: config.fleet.enabled, state: fleet.state }),
    startedAt,
  });
  const settings = settingsRouter(new ConfigFile(config, configFile), (actor, paths) =>
    evidence.record({
      actor: actor.user,
      role: actor.role,
      action: 'config-changed',
      target: 'config',
      detail: paths.join(', '),
    }),
  );
  const consoleExtras = [
    system,
    settings,
    playbackRouter(evidence, playbackCache, logger.child({ component: 'playback' })),
    ...(recentLogs ? [logRouter((count) => recentLogs.newest(count))] : []),
  ];
  const web = new WebService({
    config: config.web,
    bus,
    logger: logger.child({ component: 'web' }),
    health,
    metrics: metricsHandler(metrics, config.web.console.metricsTokenFile),
    consoleAuth: {
      gate: auth.consoleGate(),
      router: authRouter(auth),
      actorOf: (req) => auth.actorOf(req),
      stillValid: (req) => auth.stillValid(req),
    },
    routes: {
      kiosk: [
        ptzKioskRouter(ptz),
        audioRouter(() => hardware.devices.audio),
        mediaRouter(media),
        technicianCalls.kioskRouter(),
        ...sessionRoutes.kiosk,
      ],
      console: [
        ptzConsoleRouter(ptz),
        mediaRouter(media, requireCapability('recordings.read')),
        evidenceConsoleRouter(evidence),
        discoveryConsoleRouter(discovery),
        onvifConsoleRouter(onvifSetup),
        technicianCalls.consoleRouter(),
        updateConsoleRouter(update, version, evidence),
        ...sessionRoutes.console,
        ...consoleExtras,
      ],
    },
  });

  host
    .add(store)
    .add(hardware)
    .add(ptz)
    .add(evidence)
    .add(playbackCache)
    .add(media)
    .add(recordings)
    .add(auth)
    .add(sessions)
    .add(power)
    .add(readiness)
    .add(displaySchedule)
    .add(speakerTracking)
    .add(roomSignals)
    .add(discovery)
    .add(technicianCalls)
    .add(fleet)
    .add(update)
    .add(web);
  return {
    host,
    store,
    hardware,
    ptz,
    evidence,
    auth,
    sessions,
    power,
    readiness,
    fleet,
    web,
    media,
    recordings,
    update,
  };
}

import { z } from 'zod';
import { halConfig } from '../hal/config.js';
import { roomAutomationConfig } from './room-automation.js';
import { exportConfig } from './export.js';
import { checkServerUrl } from './server-url.js';
import { parseNotaryPublicKey } from '../kiosk/fleet/keys/notary-key.js';

export const CONFIG_VERSION = 1;

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'lower-case letters, digits and dashes, 2–63 characters');

/** The bridge point's role in a session (điểm cầu trung tâm / cấp tỉnh / địa phương / đại biểu). */
export const bridgeRoles = ['central', 'provincial', 'local', 'delegate'] as const;

const room = z
  .object({
    id: slug,
    name: z.string().min(1).max(200),
    role: z.enum(bridgeRoles),
    agency: z.string().max(200).optional(),
    timezone: z.string().default('Asia/Ho_Chi_Minh'),
  })
  .strict();

const remoteFeed = z.discriminatedUnion('driver', [
  z.object({ driver: z.literal('none') }).strict(),
  /** A local test stream standing in for the chairing site in simulation. */
  z.object({ driver: z.literal('test') }).strict(),
  z
    .object({
      driver: z.literal('srt'),
      url: z.string().regex(/^srt:\/\//, 'must start with srt://'),
      passphraseFile: z.string().min(1).optional(),
      latencyMs: z.number().int().min(20).max(8000).default(200),
    })
    .strict(),
  z
    .object({
      driver: z.literal('rtsp'),
      url: z.string().regex(/^rtsps?:\/\//, 'must start with rtsp:// or rtsps://'),
      latencyMs: z.number().int().min(0).max(8000).default(200),
    })
    .strict(),
  z
    .object({ driver: z.literal('rtmp'), url: z.string().regex(/^rtmps?:\/\//, 'must start with rtmp:// or rtmps://') })
    .strict(),
]);

const outgoingStream = z.discriminatedUnion('driver', [
  z.object({ driver: z.literal('none') }).strict(),
  /** SRT caller with AES encryption: the passphrase lives in a file readable by the daemon only. */
  z
    .object({
      driver: z.literal('srt'),
      url: z.string().regex(/^srt:\/\//, 'must start with srt://'),
      passphraseFile: z.string().min(1),
      latencyMs: z.number().int().min(20).max(8000).default(200),
    })
    .strict(),
  z
    .object({ driver: z.literal('rtmp'), url: z.string().regex(/^rtmps?:\/\//, 'must start with rtmp:// or rtmps://') })
    .strict(),
]);

const media = z
  .object({
    /** `auto` probes hardware encoders first, then falls back to x264. */
    encoder: z.enum(['auto', 'x264', 'v4l2h264', 'vaapih264', 'nvv4l2h264']).default('auto'),
    video: z
      .object({
        width: z.number().int().min(320).max(3840).default(1920),
        height: z.number().int().min(240).max(2160).default(1080),
        fps: z.number().int().min(5).max(60).default(30),
        bitrateKbps: z.number().int().min(200).max(50_000).default(4000),
        /**
         * Evidence needs a cut point at least every second (a crash loses at most this much), and
         * splitmuxsink holds one GOP before writing it: 0.5 s keeps start-to-first-byte under a second.
         */
        keyframeSeconds: z.number().min(0.2).max(1).default(0.5),
      })
      .strict()
      .default({ width: 1920, height: 1080, fps: 30, bitrateKbps: 4000, keyframeSeconds: 0.5 }),
    audioBitrateKbps: z.number().int().min(32).max(512).default(128),
    remote: remoteFeed.default({ driver: 'none' }),
    layout: z
      .object({
        pictureInPicture: z.enum(['top-left', 'top-right', 'bottom-left', 'bottom-right', 'off']).default('top-right'),
        scale: z.number().min(0.1).max(0.5).default(0.3),
      })
      .strict()
      .default({ pictureInPicture: 'top-right', scale: 0.3 }),
    recording: z
      .object({
        segmentSeconds: z.number().int().min(10).max(3600).default(300),
        container: z.enum(['matroska', 'mpegts']).default('matroska'),
        /** Below this much free space in the recordings folder the worker warns, then finalizes before the disk fills. */
        minFreeMegabytes: z.number().int().min(50).max(100_000).default(1024),
      })
      .strict()
      .default({ segmentSeconds: 300, container: 'matroska', minFreeMegabytes: 1024 }),
    stream: outgoingStream.default({ driver: 'none' }),
    preview: z
      .object({ fps: z.number().min(0.5).max(15).default(2), width: z.number().int().min(160).max(1280).default(640) })
      .strict()
      .default({ fps: 2, width: 640 }),
  })
  .strict();

const web = z
  .object({
    /** The touchscreen's API: never reachable from the network. */
    kiosk: z
      .object({
        host: z.literal('127.0.0.1', { error: 'the kiosk API binds to 127.0.0.1 only' }).default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(8080),
      })
      .strict()
      .default({ host: '127.0.0.1', port: 8080 }),
    /** The technician's console on the LAN. */
    console: z
      .object({
        host: z.string().min(1).default('0.0.0.0'),
        port: z.number().int().min(0).max(65535).default(8443),
        tls: z
          .object({ certFile: z.string().min(1), keyFile: z.string().min(1) })
          .strict()
          .optional(),
        /**
         * Host names the console answers to besides IP addresses, localhost and this machine's name
         * (and name.local): a request for any other name is refused (DNS rebinding).
         */
        allowedHosts: z
          .array(z.string().regex(/^[A-Za-z0-9.-]{1,253}$/, 'a host name without port'))
          .max(32)
          .default([]),
        /** A file holding the bearer token Prometheus (or Zabbix) sends to GET /metrics; without it, /metrics needs a console login. */
        metricsTokenFile: z.string().min(1).optional(),
      })
      .strict()
      .default({ host: '0.0.0.0', port: 8443, allowedHosts: [] }),
    bodyLimit: z
      .string()
      .regex(/^\d+(kb|mb)$/, 'a size such as 64kb')
      .default('64kb'),
  })
  .strict();

const fleetTelemetry = z
  .object({
    intervalSeconds: z.number().min(0.5).max(3600).default(30),
    fullEveryMinutes: z
      .number()
      .min(0.05)
      .max(24 * 60)
      .default(15),
  })
  .strict()
  .refine((t) => t.fullEveryMinutes * 60 >= t.intervalSeconds, {
    path: ['fullEveryMinutes'],
    message: 'must not be shorter than intervalSeconds',
  });

const fleetKeepalive = z
  .object({
    /**
     * The client's NATS PING: a dead link is noticed after 2 missed PONGs. Keep it below the server's
     * ping_interval (4 min, scripts/central): the server then sees the room active and never pings it too.
     */
    pingSeconds: z.number().min(1).max(3600).default(235),
    /** The room state is rewritten at least this often even when nothing changed (last seen also comes from full telemetry samples). */
    stateEveryMinutes: z
      .number()
      .min(0.05)
      .max(24 * 60)
      .default(60),
  })
  .strict();

const fleet = z
  .object({
    enabled: z.boolean().default(false),
    /** Central monitoring's nats-server websocket listeners: wss:// (ws:// only to this machine), tried in turn. */
    servers: z
      .array(
        z.string().superRefine((value, ctx) => {
          const checked = checkServerUrl(value);
          if (!checked.ok) ctx.addIssue({ code: 'custom', message: checked.error });
        }),
      )
      .max(16)
      .default([]),
    /** File holding this room's nkey seed (scripts/central init writes credentials/rooms/<room>.nk); it never leaves the device. */
    credentialFile: z.string().min(1).optional(),
    /** PEM file of the CA the server's certificate must chain to (the central folder's tls/ca.pem); without it, the system's CAs. */
    caFile: z.string().min(1).optional(),
    /** What the `reboot` command runs (argv, no shell); [] = log it and do nothing (simulation). */
    rebootCommand: z.array(z.string().min(1)).max(16).default(['systemctl', 'reboot']),
    /**
     * Central's notary public keys (PEM, or the `N…` line scripts/central prints): an anchor receipt is
     * written beside a manifest, and `verify` calls a folder anchored, only when one of them signed it.
     * More than one during a key change-over. Empty: anchors are published but no receipt is accepted.
     */
    notaryKeys: z
      .array(
        z
          .string()
          .min(1)
          .superRefine((value, ctx) => {
            try {
              parseNotaryPublicKey(value);
            } catch (error) {
              ctx.addIssue({ code: 'custom', message: (error as Error).message });
            }
          }),
      )
      .max(8)
      .default([]),
    /** Telemetry (kiosk/fleet/telemetry): sampled every intervalSeconds, a section sent only when it moved past its dead-band, everything every fullEveryMinutes. */
    telemetry: fleetTelemetry.default(() => fleetTelemetry.parse({})),
    /** What keeps an idle link alive; both cost bytes every day (the budget in kiosk/fleet/nats/schema.md). */
    keepalive: fleetKeepalive.default(() => fleetKeepalive.parse({})),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (!value.enabled) return;
    if (value.servers.length === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['servers'],
        message: 'at least one server (wss://host:port) is required when enabled is true',
      });
    if (!value.credentialFile)
      ctx.addIssue({
        code: 'custom',
        path: ['credentialFile'],
        message: "required when enabled is true (the room's nkey seed)",
      });
  });

const storage = z
  .object({
    /** Everything the device keeps; relative paths are resolved against the working directory. */
    dataDir: z.string().min(1).default('/var/lib/diemcau'),
    database: z.string().min(1).default('diemcau.sqlite'),
    recordingsDir: z.string().min(1).default('recordings'),
  })
  .strict();

/** Evidence store: retention of recordings and disk-space thresholds (lưu trữ bản ghi). */
const evidence = z
  .object({
    retention: z
      .object({
        /** Deletes only recordings that have a verified export, never others. */
        enabled: z.boolean().default(true),
        /** Exported recordings older than this are deleted. */
        keepDays: z.number().int().min(1).max(3650).default(180),
        /** When the disk is low, exported recordings at least this old may go early, oldest first. */
        minKeepDays: z.number().int().min(0).max(3650).default(30),
      })
      .strict()
      .default({ enabled: true, keepDays: 180, minKeepDays: 30 }),
    disk: z
      .object({
        /** Warn (console, fleet) when free space falls below this share of the disk. */
        warnFreePercent: z.number().min(1).max(90).default(20),
        /** Critical below this: sessions that would not fit are refused. */
        criticalFreePercent: z.number().min(0.5).max(50).default(10),
        /** Never plan to fill the disk beyond this many free bytes (database, logs, the OS). */
        reserveBytes: z
          .number()
          .int()
          .min(0)
          .default(2 * 1024 ** 3),
        checkIntervalSeconds: z.number().int().min(5).max(3600).default(60),
      })
      .strict()
      .default({ warnFreePercent: 20, criticalFreePercent: 10, reserveBytes: 2 * 1024 ** 3, checkIntervalSeconds: 60 }),
    /** Confidential exports' recipients (age public keys) and the export deadline. */
    export: exportConfig.default(() => exportConfig.parse({})),
  })
  .strict()
  .refine((e) => e.disk.criticalFreePercent < e.disk.warnFreePercent, {
    path: ['disk', 'criticalFreePercent'],
    message: 'must be below warnFreePercent',
  })
  .refine((e) => e.retention.minKeepDays <= e.retention.keepDays, {
    path: ['retention', 'minKeepDays'],
    message: 'must not exceed keepDays',
  });

/** Reception sessions (phiên tiếp): when the officer may start one, around its scheduled time. */
const session = z
  .object({
    startWindow: z
      .object({
        /** Start is offered this long before the scheduled start (room set-up, a citizen who came early). */
        beforeMinutes: z
          .number()
          .int()
          .min(0)
          .max(24 * 60)
          .default(30),
        /** …and until this long after it (a late chairing site); after that the session must be rescheduled. */
        afterMinutes: z
          .number()
          .int()
          .min(0)
          .max(24 * 60)
          .default(120),
      })
      .strict()
      .default({ beforeMinutes: 30, afterMinutes: 120 }),
  })
  .strict();

/** Software updates (kiosk/update, README "Update"). */
const command = z.array(z.string().min(1)).min(1).max(16);
const update = z
  .object({
    /** No update starts during a live session, nor within this many minutes before a scheduled one. */
    quietMinutesBeforeSession: z
      .number()
      .int()
      .min(0)
      .max(7 * 24 * 60)
      .default(120),
    /** The new release must be healthy this soon after its start, or the previous one comes back with its database. */
    healthDeadlineSeconds: z.number().int().min(5).max(3600).default(180),
    /** The tree holding /opt/diemcau and /etc/diemcau/release-keys: "/" on a device (another folder for tests and image builds). */
    installRoot: z.string().min(1).default('/'),
    /** How the updater (root, outside the daemon) stops and starts the daemon: argv, no shell. */
    daemonControl: z
      .object({
        stop: command.default(['systemctl', 'stop', 'diemcau.service']),
        start: command.default(['systemctl', 'start', 'diemcau.service']),
      })
      .strict()
      .default({ stop: ['systemctl', 'stop', 'diemcau.service'], start: ['systemctl', 'start', 'diemcau.service'] }),
    /** Release folders kept on disk, current and previous included. */
    keepReleases: z.number().int().min(2).max(20).default(3),
    /** A downloaded artifact larger than this is refused. */
    maxArtifactMegabytes: z.number().int().min(10).max(4096).default(512),
  })
  .strict();

export const deviceConfig = z
  .object({
    version: z.literal(CONFIG_VERSION, { error: `this software reads config version ${CONFIG_VERSION}` }),
    room,
    hal: halConfig,
    /** Display schedule, speaker tracking, device discovery (kiosk/room). */
    roomAutomation: roomAutomationConfig.default(() => roomAutomationConfig.parse({})),
    media: media.default(() => media.parse({})),
    web: web.default(() => web.parse({})),
    fleet: fleet.default(() => fleet.parse({})),
    storage: storage.default(() => storage.parse({})),
    evidence: evidence.default(() => evidence.parse({})),
    session: session.default(() => session.parse({})),
    update: update.default(() => update.parse({})),
    log: z
      .object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info') })
      .strict()
      .default({ level: 'info' }),
  })
  .strict();

export type DeviceConfig = z.infer<typeof deviceConfig>;

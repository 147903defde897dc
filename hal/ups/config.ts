import { z } from 'zod';
import { gpioLine, hostName, serialPath, tcpPort } from '../core/config-helpers.js';

export const upsConfig = z.discriminatedUnion('driver', [
  z.object({ driver: z.literal('none') }).strict(),
  z.object({ driver: z.literal('sim'), runtimeSeconds: z.number().int().min(0).default(1800) }).strict(),
  /** Sim mode with the real NUT driver: a upsd + dummy-ups started on 127.0.0.1 by the daemon. */
  z
    .object({
      driver: z.literal('nut-emulated'),
      runtimeSeconds: z.number().int().min(0).default(1800),
      pollMs: z.number().int().min(200).max(60_000).default(1000),
    })
    .strict(),
  /** A NUT upsd (local or on the LAN); we log in as a secondary (monitor) client. */
  z
    .object({
      driver: z.literal('nut'),
      host: hostName.default('127.0.0.1'),
      port: tcpPort.default(3493),
      upsName: z.string().min(1),
      username: z.string().min(1).optional(),
      /** File holding the upsd password; never the password itself in config. */
      passwordFile: z.string().min(1).optional(),
      starttls: z.boolean().default(false),
      /** PEM file of the CA that signed upsd's certificate; without it the system CAs are used. */
      caFile: z.string().min(1).optional(),
      pollMs: z.number().int().min(200).max(60_000).default(2000),
    })
    .strict(),
  /** Megatec/Q1 protocol over serial: the cheap UPSes common in offices. */
  z
    .object({
      driver: z.literal('megatec'),
      port: serialPath,
      baudRate: z.literal(2400).default(2400),
      pollMs: z.number().int().min(500).default(2000),
      /** Q1 reports no runtime: the rated runtime at full load (from the datasheet) feeds a conservative estimate. */
      fullLoadRuntimeSeconds: z.number().int().min(30).max(86_400).default(300),
      /** Nominal battery voltage (12, 24, 36, 48…) for UPSes that do not answer the `F` rating query. */
      batteryNominalVoltage: z.number().positive().max(480).optional(),
    })
    .strict(),
  /** A UPS HAT that signals AC loss on a GPIO line. */
  z
    .object({
      driver: z.literal('gpio'),
      powerFailLine: gpioLine,
      activeLow: z.boolean().default(false),
      /** A relay contact bounces; a level must hold this long before it counts. */
      debounceMs: z.number().int().min(0).max(5000).default(50),
    })
    .strict(),
]);
export type UpsConfig = z.infer<typeof upsConfig>;

/** What to do when power fails: end the session gracefully, then shut down. */
export const powerPolicyConfig = z
  .object({
    /** Seconds of battery kept in hand beyond what finalizing a recording takes. */
    marginSeconds: z.number().int().min(0).default(120),
    /** Seconds it takes to end a session and finalize its recording (EOS, last segment closed and hashed). */
    finalizeSeconds: z.number().int().min(0).default(30),
    shutdownCommand: z.array(z.string().min(1)).min(1).default(['systemctl', 'poweroff']),
  })
  .strict();
export type PowerPolicyConfig = z.infer<typeof powerPolicyConfig>;

import { z } from 'zod';
import { cameraConfig } from './camera/config.js';
import { ptzConfig } from './ptz/config.js';
import { audioConfig } from './audio/config.js';
import { displayConfig } from './display/config.js';
import { upsConfig, powerPolicyConfig } from './ups/config.js';
import { gpioConfig } from './gpio/config.js';

/** The room's hardware profile: one driver per device kind, chosen by name. */
export const halConfig = z
  .object({
    camera: cameraConfig,
    ptz: ptzConfig.default({ driver: 'none' }),
    audio: audioConfig,
    display: displayConfig.default({ driver: 'none' }),
    ups: upsConfig.default({ driver: 'none' }),
    power: powerPolicyConfig.default({
      marginSeconds: 120,
      finalizeSeconds: 30,
      shutdownCommand: ['systemctl', 'poweroff'],
    }),
    gpio: gpioConfig.default({ driver: 'none' }),
  })
  .strict();
export type HalConfig = z.infer<typeof halConfig>;

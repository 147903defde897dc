import type { Driver, DriverContext, DeviceKind } from './core/driver.js';
import type { HalConfig } from './config.js';
import type { CameraDevice } from './camera/types.js';
import type { PtzDevice } from './ptz/types.js';
import type { AudioDevice } from './audio/types.js';
import type { DisplayDevice } from './display/types.js';
import type { UpsDevice } from './ups/types.js';
import type { GpioDevice } from './gpio/types.js';

type DeviceOf = {
  camera: CameraDevice;
  ptz: PtzDevice;
  audio: AudioDevice;
  display: DisplayDevice;
  ups: UpsDevice;
  gpio: GpioDevice;
};

type OptionsOf<K extends DeviceKind, D extends string> = Extract<HalConfig[K], { driver: D }>;

/** Builds one driver; imported lazily so a room loads only the native modules it uses. */
type Factory<K extends DeviceKind, D extends string> = (
  options: OptionsOf<K, D>,
  context: DriverContext,
) => Promise<DeviceOf[K]>;

type Families<K extends DeviceKind> = { [D in Exclude<HalConfig[K]['driver'], 'none'>]?: Factory<K, D> };

/**
 * Driver families by kind and config name. A family that is named in the schema but missing here
 * is reported as `bad-config` with a clear message, never silently replaced by a simulator.
 */
export const driverFamilies: { [K in DeviceKind]: Families<K> } = {
  camera: {
    sim: async (options, context) => new (await import('./camera/sim.js')).SimCamera(context, options),
    v4l2: async (options, context) => new (await import('./camera/v4l2/driver.js')).V4l2Camera(context, options),
    rtsp: async (options, context) => new (await import('./camera/rtsp/driver.js')).RtspCamera(context, options),
  },
  ptz: {
    sim: async (_options, context) => new (await import('./ptz/sim.js')).SimPtz(context),
    'visca-serial': async (options, context) =>
      new (await import('./ptz/visca-serial/driver.js')).ViscaSerialPtz(context, options),
    'visca-ip': async (options, context) => new (await import('./ptz/visca-ip/driver.js')).ViscaIpPtz(context, options),
    'pelco-d': async (options, context) => new (await import('./ptz/pelco-d/driver.js')).PelcoDPtz(context, options),
    uvc: async (options, context) => new (await import('./ptz/uvc/driver.js')).UvcPtz(context, options),
    onvif: async (options, context) => new (await import('./ptz/onvif/driver.js')).OnvifPtz(context, options),
    'onvif-emulated': async (options, context) =>
      new (await import('./ptz/onvif/emulated.js')).EmulatedOnvifPtz(context, options),
    'visca-emulated': async (options, context) => {
      const { EmulatedViscaPtz, EmulatedViscaSerialPtz } = await import('./ptz/emulation/emulated-visca.js');
      return options.transport === 'pty'
        ? new EmulatedViscaSerialPtz(context, options)
        : new EmulatedViscaPtz(context, options);
    },
  },
  audio: {
    sim: async (options, context) => new (await import('./audio/sim.js')).SimAudio(context, options),
    alsa: async (options, context) => new (await import('./audio/alsa/driver.js')).AlsaAudio(context, options),
    pulse: async (options, context) => new (await import('./audio/pulse/driver.js')).PulseAudio(context, options),
  },
  display: {
    sim: async (_options, context) => new (await import('./display/sim.js')).SimDisplay(context),
    ddcutil: async (options, context) =>
      new (await import('./display/ddcutil/driver.js')).DdcutilDisplay(context, options),
    backlight: async (options, context) =>
      new (await import('./display/backlight/driver.js')).BacklightDisplay(context, options),
    cec: async (options, context) => new (await import('./display/cec/driver.js')).CecDisplay(context, options),
  },
  ups: {
    'nut-emulated': async (options, context) =>
      new (await import('./ups/nut/emulated.js')).EmulatedNutUps(context, options),
    sim: async (options, context) => new (await import('./ups/sim.js')).SimUps(context, options),
    nut: async (options, context) => new (await import('./ups/nut/driver.js')).NutUps(context, options),
    megatec: async (options, context) => new (await import('./ups/megatec/driver.js')).MegatecUps(context, options),
    gpio: async (options, context) => new (await import('./ups/gpio/driver.js')).GpioUps(context, options),
  },
  gpio: {
    sim: async (_options, context) => new (await import('./gpio/sim.js')).SimGpio(context),
    onoff: async (options, context) =>
      new (await import('./gpio/onoff/driver.js')).OnoffGpio(
        context,
        options,
        await (await import('./gpio/onoff/line.js')).onoffChip(),
      ),
  },
};

export type Devices = { [K in DeviceKind]?: DeviceOf[K] };

export const deviceKinds: readonly DeviceKind[] = ['camera', 'ptz', 'audio', 'display', 'ups', 'gpio'];

/** Builds the configured driver of every kind (none for `driver: 'none'`). Does not start them. */
export async function createDevices(config: HalConfig, context: Omit<DriverContext, 'id'>): Promise<Devices> {
  const devices: Devices = {};
  for (const kind of deviceKinds) {
    const device = await createDevice(kind, config[kind], context);
    if (device) (devices as Record<DeviceKind, Driver>)[kind] = device;
  }
  return devices;
}

async function createDevice<K extends DeviceKind>(
  kind: K,
  options: HalConfig[K],
  context: Omit<DriverContext, 'id'>,
): Promise<Driver | undefined> {
  if (options.driver === 'none') return undefined;
  const factory = (driverFamilies[kind] as Record<string, Factory<K, string> | undefined>)[options.driver];
  const driverContext = { ...context, id: kind };
  if (!factory) {
    const { UnavailableDriver } = await import('./core/unavailable.js');
    return new UnavailableDriver(driverContext, kind, options.driver);
  }
  return factory(options as OptionsOf<K, string>, driverContext);
}

import { z } from 'zod';
import type { PtzDevice, PtzPosition } from '../../hal/ptz/types.js';
import type { EventBus } from '../core/event-bus.js';
import type { Logger } from '../core/logger.js';
import type { Service } from '../core/service.js';
import type { Database } from '../store/database.js';
import { DomainError } from '../core/domain-error.js';
import { ptzDeviceError } from './device-errors.js';
import { PresetRepository, type NamedPreset } from './preset-repository.js';

export interface PtzServiceDeps {
  /** The store's database (the store service starts first). */
  db: () => Database;
  /** The room's PTZ head, if config has one (`HardwareService.devices.ptz`). */
  device: () => PtzDevice | undefined;
  bus: EventBus;
  logger: Logger;
}

/** Who asked for a move or a recall: the session's timeline says so. */
export type PtzSource = 'kiosk' | 'console' | 'tracking';
type Source = PtzSource;

export interface PtzOverview {
  presets: NamedPreset[];
  active: string | null;
  device: ReturnType<PtzDevice['snapshot']> | null;
  capabilities: PtzDevice['capabilities'] | null;
}

const direction = z.union([z.literal(-1), z.literal(0), z.literal(1)]);
export const moveBody = z
  .object({
    pan: direction,
    tilt: direction,
    zoom: direction.optional(),
    speed: z.number().min(0).max(1).optional(),
  })
  .strict();
export type MoveBody = z.infer<typeof moveBody>;

export const storeBody = z
  .object({
    slot: z.number().int().min(0).max(127).optional(),
    label: z
      .object({ vi: z.string().trim().min(1).max(80), en: z.string().trim().min(1).max(80) })
      .strict()
      .optional(),
  })
  .strict();
export type StoreBody = z.infer<typeof storeBody>;

const PRESET_NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;

/**
 * Named camera presets of the room (citizen seat, officials' table, whole room, document) and the
 * kiosk's camera controls. Presets are recalled by name; the technician stores the current position
 * under a name from the console. Every refusal and camera failure is a DomainError (device-errors.ts),
 * so the routes (routes.ts) and speaker tracking see the same words.
 */
export class PtzService implements Service {
  readonly name = 'ptz';
  #presets: PresetRepository | undefined;
  /** The preset the camera was last sent to, by whoever (kiosk, console, speaker tracking); none once someone steers it. */
  #active: string | undefined;

  constructor(private readonly deps: PtzServiceDeps) {}

  async start(): Promise<void> {
    this.#presets = new PresetRepository(this.deps.db());
    const presets = await this.#presets.list();
    this.deps.logger.info(
      { presets: presets.map((p) => p.name), device: this.deps.device()?.driverName ?? 'none' },
      'ptz presets loaded',
    );
  }

  async stop(): Promise<void> {
    this.#presets = undefined;
  }

  async list(): Promise<NamedPreset[]> {
    return this.#repository().list();
  }

  /** What the camera controls show: the presets, the one the camera was last sent to, the head's state. */
  async overview(): Promise<PtzOverview> {
    const device = this.deps.device();
    return {
      presets: await this.list(),
      active: this.#active ?? null,
      device: device?.snapshot() ?? null,
      capabilities: device?.capabilities ?? null,
    };
  }

  async recall(name: string, source: Source): Promise<NamedPreset> {
    const preset = await this.#preset(name);
    await this.#recall(preset, source);
    return preset;
  }

  /**
   * Speaker tracking names presets by slot (kiosk/room/config.ts): the named preset in that slot,
   * recalled like any other. A camera that keeps its presets itself can also recall a slot nobody
   * has named (shown as `slot-<n>`); a camera without preset memory (UVC) needs the named one.
   */
  async recallSlot(slot: number, source: Source): Promise<Pick<NamedPreset, 'name' | 'slot'>> {
    const named = await this.#repository().bySlot(slot);
    if (named) {
      await this.#recall(named, source);
      return named;
    }
    if (this.#device().capabilities.presets === 'host')
      throw new DomainError(
        'not-found',
        'preset_not_found',
        `no camera preset in slot ${slot}; store one with this slot from the console first`,
      );
    const raw = { name: `slot-${slot}`, slot };
    await this.#recall(raw, source);
    return raw;
  }

  /** Whether the PTZ head can take a recall now. */
  get ready(): boolean {
    return this.deps.device()?.status === 'ok';
  }

  async #recall(
    preset: Pick<NamedPreset, 'name' | 'slot'> & Partial<Pick<NamedPreset, 'position'>>,
    source: Source,
  ): Promise<void> {
    const device = this.#device();
    if (device.capabilities.presets === 'host') {
      const position = preset.position;
      if (!position)
        throw new DomainError(
          'conflict',
          'preset_not_stored',
          `preset "${preset.name}" has no stored position yet; store it from the console first`,
        );
      await this.#command(() => device.goTo(position));
    } else {
      await this.#command(() => device.recallPreset(preset.slot));
    }
    this.#active = preset.name;
    this.deps.logger.info({ preset: preset.name, slot: preset.slot, source }, 'ptz preset recalled');
    this.deps.bus.emit('ptzPreset', { action: 'recalled', name: preset.name, slot: preset.slot, source });
  }

  async move(body: MoveBody): Promise<void> {
    const device = this.#device();
    const moving = body.pan !== 0 || body.tilt !== 0 || (body.zoom ?? 0) !== 0;
    // Speaker tracking pauses while a person steers the camera; it is at no preset any more.
    if (moving) this.#active = undefined;
    this.deps.bus.emit('ptzManualMove', moving);
    const { pan, tilt, speed } = body;
    if (pan === 0 && tilt === 0) await this.#command(() => device.stopMove());
    else await this.#command(() => device.move({ pan, tilt, ...(speed !== undefined ? { speed } : {}) }));
    const zoom = body.zoom;
    if (zoom !== undefined) await this.#command(() => device.zoom(zoom, speed));
  }

  /** Stores the camera's current position under `name` (creating the preset when slot and label are given). */
  async store(name: string, body: StoreBody, source: Source): Promise<NamedPreset> {
    checkName(name);
    const repository = this.#repository();
    const existing = await repository.get(name);
    const slot = body.slot ?? existing?.slot;
    const label = body.label ?? existing?.label;
    if (slot === undefined || !label)
      throw new DomainError(
        'invalid',
        'preset_definition_required',
        `preset "${name}" does not exist yet: give its slot and label (vi, en)`,
      );
    const holder = await repository.bySlot(slot);
    if (holder && holder.name !== name)
      throw new DomainError('conflict', 'slot_taken', `camera preset slot ${slot} already belongs to "${holder.name}"`);
    const device = this.#device();
    let position: PtzPosition | undefined;
    if (device.capabilities.presets === 'camera') await this.#command(() => device.storePreset(slot));
    if (device.capabilities.position) position = await this.#command(() => device.position());
    if (device.capabilities.presets === 'host' && !position)
      throw new DomainError(
        'unsupported',
        'ptz_unsupported',
        'this camera can neither store presets nor report its position',
      );
    await repository.upsert({ name, slot, label });
    await repository.recordStored(name, position, new Date());
    this.deps.logger.info({ preset: name, slot, source, position }, 'ptz preset stored');
    this.deps.bus.emit('ptzPreset', { action: 'stored', name, slot, source });
    return (await repository.get(name))!;
  }

  /** A command to the head; its failure in the service's words. */
  async #command<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw ptzDeviceError(error);
    }
  }

  #repository(): PresetRepository {
    if (!this.#presets) throw new DomainError('unavailable', 'ptz_not_ready', 'the PTZ service is not started');
    return this.#presets;
  }

  async #preset(name: string): Promise<NamedPreset> {
    checkName(name);
    const preset = await this.#repository().get(name);
    if (!preset) throw new DomainError('not-found', 'preset_not_found', `no camera preset named "${name}"`);
    return preset;
  }

  #device(): PtzDevice {
    const device = this.deps.device();
    if (!device) throw new DomainError('unavailable', 'ptz_not_configured', 'this room has no PTZ camera configured');
    if (device.status !== 'ok') {
      const { status, detail } = device.snapshot();
      throw new DomainError(
        'unavailable',
        'ptz_unavailable',
        `the PTZ camera is ${status}${detail ? `: ${detail}` : ''}`,
        {
          status,
        },
      );
    }
    return device;
  }
}

function checkName(name: string): void {
  if (!PRESET_NAME.test(name))
    throw new DomainError(
      'invalid',
      'invalid_preset_name',
      'a preset name is 1–40 lower-case letters, digits and dashes',
    );
}

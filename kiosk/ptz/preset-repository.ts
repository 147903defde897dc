import type { PtzPosition } from '../../hal/ptz/types.js';
import type { Database } from '../store/database.js';

export interface NamedPreset {
  /** Stable key used by the kiosk and the speaker-tracking policy: `citizen-seat`, `wide`… */
  name: string;
  /** The camera's preset memory number. */
  slot: number;
  label: { vi: string; en: string };
  /** Last position stored from the console, when the camera could report it. */
  position?: PtzPosition;
  storedAt?: string;
}

interface Row {
  name: string;
  slot: number;
  label_vi: string;
  label_en: string;
  pan: number | null;
  tilt: number | null;
  zoom: number | null;
  stored_at: string | null;
}

const COLUMNS = 'name, slot, label_vi, label_en, pan, tilt, zoom, stored_at';

/** The room's named presets in SQLite (table `ptz_presets`, migration 4). */
export class PresetRepository {
  constructor(private readonly db: Database) {}

  async list(): Promise<NamedPreset[]> {
    const rows = await this.db.all<Row>(`SELECT ${COLUMNS} FROM ptz_presets ORDER BY sort_order, name`);
    return rows.map(toPreset);
  }

  async get(name: string): Promise<NamedPreset | undefined> {
    const row = await this.db.get<Row>(`SELECT ${COLUMNS} FROM ptz_presets WHERE name = ?`, [name]);
    return row ? toPreset(row) : undefined;
  }

  async bySlot(slot: number): Promise<NamedPreset | undefined> {
    const row = await this.db.get<Row>(`SELECT ${COLUMNS} FROM ptz_presets WHERE slot = ?`, [slot]);
    return row ? toPreset(row) : undefined;
  }

  /** Creates the preset or updates its slot/labels; the stored position is kept unless the slot changes. */
  async upsert(preset: Pick<NamedPreset, 'name' | 'slot' | 'label'>): Promise<void> {
    await this.db.run(
      `INSERT INTO ptz_presets (name, slot, label_vi, label_en) VALUES (?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET
         pan  = CASE WHEN slot = excluded.slot THEN pan  ELSE NULL END,
         tilt = CASE WHEN slot = excluded.slot THEN tilt ELSE NULL END,
         zoom = CASE WHEN slot = excluded.slot THEN zoom ELSE NULL END,
         stored_at = CASE WHEN slot = excluded.slot THEN stored_at ELSE NULL END,
         slot = excluded.slot, label_vi = excluded.label_vi, label_en = excluded.label_en`,
      [preset.name, preset.slot, preset.label.vi, preset.label.en],
    );
  }

  async recordStored(name: string, position: PtzPosition | undefined, at: Date): Promise<void> {
    await this.db.run('UPDATE ptz_presets SET pan = ?, tilt = ?, zoom = ?, stored_at = ? WHERE name = ?', [
      position?.pan ?? null,
      position?.tilt ?? null,
      position?.zoom ?? null,
      at.toISOString(),
      name,
    ]);
  }
}

function toPreset(row: Row): NamedPreset {
  return {
    name: row.name,
    slot: row.slot,
    label: { vi: row.label_vi, en: row.label_en },
    ...(row.pan !== null && row.tilt !== null && row.zoom !== null
      ? { position: { pan: row.pan, tilt: row.tilt, zoom: row.zoom } }
      : {}),
    ...(row.stored_at ? { storedAt: row.stored_at } : {}),
  };
}

import type { Migration } from '../store/migration.js';

/**
 * Named camera presets of this room (one device = one reception room). `slot` is the camera's
 * preset memory number; `pan/tilt/zoom` is the position last stored from the console, kept for
 * cameras without preset memory (UVC) and so the console can show what a preset points at.
 */
export const ptzPresetsMigrationSql = `
  CREATE TABLE ptz_presets (
    name        TEXT PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 40),
    slot        INTEGER NOT NULL UNIQUE CHECK (slot BETWEEN 0 AND 127),
    label_vi    TEXT NOT NULL CHECK (length(label_vi) BETWEEN 1 AND 80),
    label_en    TEXT NOT NULL CHECK (length(label_en) BETWEEN 1 AND 80),
    sort_order  INTEGER NOT NULL DEFAULT 100,
    pan         INTEGER,
    tilt        INTEGER,
    zoom        INTEGER,
    stored_at   TEXT,
    CHECK ((pan IS NULL) = (tilt IS NULL) AND (pan IS NULL) = (zoom IS NULL))
  ) STRICT;
  INSERT INTO ptz_presets (name, slot, label_vi, label_en, sort_order) VALUES
    ('citizen-seat',    1, 'Ghế công dân',       'Citizen seat',      10),
    ('officials-table', 2, 'Bàn cán bộ tiếp dân', 'Officials'' table', 20),
    ('wide',            3, 'Toàn cảnh phòng',    'Whole room',        30),
    ('document',        4, 'Tài liệu',           'Document',          40);
`;

export const ptzMigrations: readonly Migration[] = [
  { version: 4, name: 'ptz: named camera presets of the room', sql: ptzPresetsMigrationSql },
];

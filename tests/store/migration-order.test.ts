import { describe, expect, it } from 'vitest';
import { migrations } from '../../kiosk/database-schema.js';
import { orderMigrations } from '../../kiosk/store/migration.js';

const step = (version: number, name = `step ${version}`) => ({ version, name, sql: '' });

describe('the database schema assembled from the features', () => {
  it("orders every feature's migrations into one run 1, 2, 3, ...", () => {
    expect(orderMigrations([step(3), step(1)], [step(2)]).map((m) => m.version)).toEqual([1, 2, 3]);
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
  });

  it('refuses a version declared twice, naming both', () => {
    expect(() => orderMigrations([step(1), step(2, 'sessions')], [step(2, 'presets')])).toThrow(
      'migration version 2 is declared twice: "sessions", "presets"',
    );
  });

  it('refuses a missing version', () => {
    expect(() => orderMigrations([step(1), step(3, 'late')])).toThrow(
      'migration version 2 is missing (next is 3 "late")',
    );
  });
});

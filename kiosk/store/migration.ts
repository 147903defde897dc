/**
 * One step of the device database's schema. Each feature declares its own steps beside its tables
 * (session/migration.ts, fleet/migration.ts, ...); the composition root orders them all
 * (kiosk/database-schema.ts). A migration is never edited once released: add a new one.
 * `PRAGMA user_version` holds the version reached.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The features' migrations as one list, in order; versions must run 1, 2, 3, ... with none twice or missing. */
export function orderMigrations(...lists: (readonly Migration[])[]): readonly Migration[] {
  const all = lists.flat().sort((a, b) => a.version - b.version);
  all.forEach((migration, i) => {
    if (migration.version !== i + 1) {
      const twice = all.filter((m) => m.version === migration.version).map((m) => `"${m.name}"`);
      throw new Error(
        twice.length > 1
          ? `migration version ${migration.version} is declared twice: ${twice.join(', ')}`
          : `migration version ${i + 1} is missing (next is ${migration.version} "${migration.name}")`,
      );
    }
  });
  return all;
}

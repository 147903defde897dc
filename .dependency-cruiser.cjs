/**
 * The layers of the code, checked in CI (tests/foundation/architecture.test.ts): no module cycle
 * and no cycle between folders. hal/ is the lowest layer, then config/ and kiosk/core/, then the
 * features (kiosk/<feature>/), then kiosk/web/; the files at the top of kiosk/ compose them all.
 * A feature declares its own bus events and migrations (see kiosk/core/event-bus.ts,
 * kiosk/database-schema.ts), so the lower layers never import it.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'a module cycle: split the shared part out, or inject it',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-circular-folders',
      comment: 'a cycle between folders: the lower one must not know the higher one',
      severity: 'error',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    // Type-only imports count: a type pulled up from a higher layer is the same tangle.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist)/' },
  },
};

/**
 * Bundles the touchscreen (kiosk/ui/kiosk: Preact + htm) with esbuild into dist/kiosk/ui/kiosk/:
 * index.html, app.js and styles.css, what kiosk/web/static-ui.ts serves. Prints the gzip sizes
 * (the page's budget is 100 KB of JS).
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { projectRoot } from '../../config/load.js';

const root = projectRoot();
const source = join(root, 'kiosk', 'ui', 'kiosk');
const out = join(root, 'dist', 'kiosk', 'ui', 'kiosk');
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(source, 'app.ts'), join(source, 'styles.css')],
  outdir: out,
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['chrome109'],
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
});
copyFileSync(join(source, 'index.html'), join(out, 'index.html'));
const gzip = (file: string) => gzipSync(readFileSync(join(out, file))).length;
console.log(JSON.stringify({ kiosk: { jsGzipBytes: gzip('app.js'), cssGzipBytes: gzip('styles.css'), htmlGzipBytes: gzip('index.html') } }));

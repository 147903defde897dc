/**
 * Bundles the browser pages (Preact + htm) with esbuild into dist/kiosk/ui/<page>/: index.html,
 * app.js and styles.css, what kiosk/web/static-ui.ts serves. One definition for both pages: the
 * touchscreen (kiosk/ui/kiosk) and the technician console (kiosk/ui/console). Prints the gzip
 * sizes (each page's budget is 100 KB of JS).
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { projectRoot } from '../../config/load.js';

const root = projectRoot();
const pages = ['kiosk', 'console'] as const;
const sizes: Record<string, Record<string, number>> = {};
for (const page of pages) {
  const source = join(root, 'kiosk', 'ui', page);
  const out = join(root, 'dist', 'kiosk', 'ui', page);
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
  sizes[page] = { jsGzipBytes: gzip('app.js'), cssGzipBytes: gzip('styles.css'), htmlGzipBytes: gzip('index.html') };
}
console.log(JSON.stringify(sizes));

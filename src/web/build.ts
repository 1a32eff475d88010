import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The single-page app's entry; everything it imports is bundled, split at each lazy page. */
export const DASHBOARD_ENTRY = fileURLToPath(new URL('./app/main.tsx', import.meta.url));

export interface DashboardAsset {
  contents: Uint8Array;
  type: string;
  etag: string;
}

export interface DashboardBundle {
  /** By file name, as the HTML and the chunks refer to them (/assets/<name>). */
  assets: Map<string, DashboardAsset>;
  script: string;
  stylesheet: string | undefined;
  /** Chunks the entry imports statically: preloaded by the HTML so they load in parallel. */
  preload: string[];
}

const TYPES: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };

/**
 * Bundles the dashboard in memory with esbuild (the widget's bundler too): ES modules split at
 * each page's dynamic import, so the first page loads its own code and not the charts of the
 * others. File names carry a content hash, so the assets can be cached for good.
 */
export async function buildDashboard(): Promise<DashboardBundle> {
  const result = await build({
    entryPoints: [DASHBOARD_ENTRY],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome111', 'firefox115', 'safari16.4'],
    jsx: 'automatic',
    minify: true,
    charset: 'utf8',
    legalComments: 'none',
    define: { 'process.env.NODE_ENV': '"production"' },
    outdir: '/assets',
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[hash]',
    assetNames: '[name]-[hash]',
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  const assets = new Map<string, DashboardAsset>();
  for (const file of result.outputFiles) {
    const name = file.path.slice(file.path.lastIndexOf('/') + 1);
    const extension = name.slice(name.lastIndexOf('.') + 1);
    const etag = `"${createHash('sha256').update(file.contents).digest('base64url').slice(0, 27)}"`;
    assets.set(name, { contents: file.contents, type: TYPES[extension] ?? 'application/octet-stream', etag });
  }
  const outputs = Object.entries(result.metafile.outputs);
  // Pages imported lazily are entry points to esbuild too; the app's own is the one named main.
  const [entryPath, entry] = outputs.find(([path, output]) => output.entryPoint !== undefined && /\/main-[^/]+\.js$/.test(path)) ?? [];
  if (!entryPath || !entry) throw new Error('esbuild produced no dashboard entry');
  const base = (path: string) => path.slice(path.lastIndexOf('/') + 1);
  return {
    assets,
    script: base(entryPath),
    stylesheet: entry.cssBundle ? base(entry.cssBundle) : undefined,
    preload: entry.imports.filter((i) => i.kind === 'import-statement').map((i) => base(i.path)),
  };
}

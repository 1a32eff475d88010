import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The widget's source: browser code, bundled on its own (it imports types only). */
export const WIDGET_SOURCE = fileURLToPath(new URL('./widget.ts', import.meta.url));

/**
 * Bundles the widget into one minified IIFE for /widget.js: no module syntax left, nothing
 * imported at run time, UTF-8 kept as is (the Arabic and Lithuanian button words).
 */
export async function buildWidget(): Promise<string> {
  const result = await build({
    entryPoints: [WIDGET_SOURCE],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    // Browsers with shadow DOM, logical CSS insets and optional chaining.
    target: ['chrome87', 'firefox78', 'safari14.1', 'edge88'],
    minify: true,
    charset: 'utf8',
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild produced no widget bundle');
  return output.text;
}

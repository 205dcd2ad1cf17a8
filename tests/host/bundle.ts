/**
 * Bundles the page-side bridge (tests/host/browser) for the browser with Vite (rolldown), in
 * memory, at host start: one classic IIFE script per window kind, no zod (the bridge imports
 * the surface's names only; main validates).
 */
import { fileURLToPath } from 'node:url';
import { build, type Rolldown } from 'vite';
import type { WindowKind } from '../../electron/ipc/surface.ts';

const browserDir = fileURLToPath(new URL('./browser/', import.meta.url));

async function bundleOne(kind: WindowKind): Promise<string> {
  const result = await build({
    configFile: false,
    logLevel: 'silent',
    root: browserDir,
    publicDir: false,
    build: {
      write: false,
      target: 'chrome130',
      minify: false,
      sourcemap: false,
      emptyOutDir: false,
      lib: { entry: `${browserDir}bridge-${kind}.ts`, formats: ['iife'], name: `mynaHostBridge_${kind}` },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
  const chunk = outputs.flatMap((o) => o.output).find((o) => o.type === 'chunk');
  if (chunk?.type !== 'chunk') throw new Error(`bridge bundle for ${kind}: no output`);
  return chunk.code;
}

let cached: Promise<Record<WindowKind, string>> | undefined;

/** Built once per process (the sources do not change while it runs). */
export function bundleBridges(): Promise<Record<WindowKind, string>> {
  cached ??= Promise.all([bundleOne('portal'), bundleOne('consent')]).then(([portal, consent]) => ({
    portal,
    consent,
  }));
  cached.catch(() => {
    cached = undefined;
  });
  return cached;
}

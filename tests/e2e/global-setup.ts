/**
 * Builds the renderer when out/renderer is missing or older than any of its sources, so that
 * the tests always drive what the sources say (and CI, which builds first, skips the work).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

export function rendererIsStale(): boolean {
  const built = join(root, 'out/renderer/index.html');
  const consent = join(root, 'out/renderer/consent.html');
  if (!existsSync(built) || !existsSync(consent)) return true;
  const builtAt = Math.min(statSync(built).mtimeMs, statSync(consent).mtimeMs);
  const sources = [join(root, 'renderer'), join(root, 'vite.config.ts'), join(root, 'package-lock.json')];
  return sources.some((s) => existsSync(s) && newestMtime(s) > builtAt);
}

export default function globalSetup(): void {
  if (!rendererIsStale()) return;
  process.stdout.write('e2e: building the renderer (out/renderer is missing or stale)\n');
  const r = spawnSync(join(root, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error(`vite build failed (exit ${r.status})`);
}

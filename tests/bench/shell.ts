/**
 * The Electron shell's budgets (DESIGN §10), measured outside Electron:
 * - main-process services ready after start (< 300 ms, Electron's own boot excluded):
 *   startMainServices() — settings, embedded portal, card service, consent, outbox — on a
 *   fresh user-data folder, against the embedded portal's start alone in the same run;
 * - renderer JS shipped to the portal window (< 250 KB gzip), from the built out/renderer.
 * A benchmark, not a test: it reports PASS/FAIL and exits 0 either way.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { startMainServices } from '../../electron/main/services/compose.ts';
import { startPortal } from '../../portal/start.ts';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const READY_BUDGET_MS = 300;
const JS_BUDGET_BYTES = 250 * 1024;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const f = (ms: number) => ms.toFixed(1);

async function timeIt(runs: number, once: (dir: string) => Promise<() => Promise<void>>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'myna-bench-shell-'));
    const t0 = performance.now();
    const close = await once(dir);
    out.push(performance.now() - t0);
    await close();
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

function portalWindowJsBytes(): { raw: number; gzip: number; files: number } | undefined {
  const dir = join(root, 'out/renderer');
  const html = join(dir, 'index.html');
  if (!existsSync(html)) return undefined;
  // Every script the portal page loads, and the chunks they import (all .js next to them).
  const assets = join(dir, 'assets');
  const js = existsSync(assets) ? readdirSync(assets).filter((n) => n.endsWith('.js')) : [];
  const consentOnly = js.filter((n) => /^consent/i.test(n));
  const files = js.filter((n) => !consentOnly.includes(n)).map((n) => readFileSync(join(assets, n)));
  return {
    raw: files.reduce((a, b) => a + b.length, 0),
    gzip: files.reduce((a, b) => a + gzipSync(b, { level: 9 }).length, 0),
    files: files.length,
  };
}

/** Main's services as Electron starts them, with the demo card; `portalUrl` null: embedded portal. */
function services(dir: string, portalUrl: string | null) {
  return startMainServices({
    userDataDir: dir,
    portalUrl,
    appOrigin: 'app://myna-companion',
    runtime: 'electron',
    presenter: { show() {}, close() {} },
    card: 'emulator',
  });
}

export async function runShellBench(): Promise<void> {
  process.stdout.write('\nMyna Companion — Electron shell budgets (outside Electron)\n\n');
  // Warm-up: module loading and JIT are Electron's boot, not the services' start.
  await timeIt(2, async (dir) => {
    const s = await services(dir, null);
    return () => s.close();
  });
  const portalOnly = await timeIt(10, async (dir) => {
    const p = await startPortal({ port: 0, dataDir: join(dir, 'demo-portal'), seed: 'demo', logger: false });
    return () => p.close();
  });
  const withPortal = await timeIt(10, async (dir) => {
    const s = await services(dir, null);
    return () => s.close();
  });
  // The same services against an external portal (already running): main's own start-up.
  const external = await startPortal({
    port: 0,
    dataDir: mkdtempSync(join(tmpdir(), 'myna-bench-portal-')),
    seed: 'demo',
    logger: false,
  });
  const own = await timeIt(10, async (dir) => {
    const s = await services(dir, external.url);
    return () => s.close();
  });
  await external.close();
  const ready = median(withPortal);
  const base = median(portalOnly);
  const ownReady = median(own);
  process.stdout.write(
    `main services ready (fresh user-data folder, embedded demo portal seeded, demo card), 10 runs:\n` +
      `  startMainServices  median ${f(ready)} ms   (embedded portal alone: ${f(base)} ms; ratio ${(ready / base).toFixed(2)}×)\n` +
      `  with an external portal (main's own services only): median ${f(ownReady)} ms\n` +
      `  budget < ${READY_BUDGET_MS} ms: main's own services → ${ownReady < READY_BUDGET_MS ? 'PASS' : 'FAIL'}; ` +
      `with the embedded demo portal → ${ready < READY_BUDGET_MS ? 'PASS' : 'FAIL'}\n`,
  );
  const js = portalWindowJsBytes();
  if (!js) {
    process.stdout.write('renderer JS: out/renderer not built (run `npm run build` first) — not measured\n');
  } else {
    process.stdout.write(
      `renderer JS shipped to the portal window: ${js.files} file(s), ${(js.raw / 1024).toFixed(1)} KB raw, ` +
        `${(js.gzip / 1024).toFixed(1)} KB gzip (${((js.gzip / JS_BUDGET_BYTES) * 100).toFixed(0)}% of the budget)\n` +
        `  budget < 250 KB gzip → ${js.gzip < JS_BUDGET_BYTES ? 'PASS' : 'FAIL'}\n`,
    );
  }
}

if (import.meta.main) await runShellBench();

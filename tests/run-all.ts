/**
 * `npm test`: the whole suite, in the order that fails fastest — typecheck, lint, the build
 * (renderer, and main + preloads once scripts/build.ts exists), unit (in-process emulator),
 * integration (pcscd + vpcd + OpenSC), Electronegativity over the sources and the build (one
 * check), end-to-end (Playwright: Chromium against the test host; the Electron smoke tests
 * report as skipped where no Electron binary is installed). Ends with the one line CI reads:
 * `N passed, N failed[, N skipped]`, summed from vitest's and Playwright's JSON reports.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface VitestJson {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  numTotalTests: number;
  success: boolean;
}

const root = new URL('..', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'myna-test-'));
const bin = (name: string) => join(root, 'node_modules', '.bin', name);
let passed = 0;
let failed = 0;
let skipped = 0;
let staticFailures = 0;

interface PlaywrightJson {
  stats?: { expected: number; unexpected: number; flaky: number; skipped: number };
}

function run(label: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  process.stdout.write(`\n=== ${label} ===\n`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  return r.status ?? 1;
}

if (run('typecheck (tsc)', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']) !== 0) staticFailures++;
if (run('lint + format (biome)', bin('biome'), ['check', '.']) !== 0) staticFailures++;
// scripts/build.ts builds main, the preloads and (through vite.config.ts) the renderer.
const buildScript = join(root, 'scripts', 'build.ts');
const built = existsSync(buildScript)
  ? run('build (scripts/build.ts)', process.execPath, [buildScript])
  : run('build: renderer (vite)', bin('vite'), ['build', '--logLevel', 'warn']);
if (built !== 0) staticFailures++;

for (const project of ['unit', 'integration']) {
  const out = join(tmp, `${project}.json`);
  const status = run(`vitest: ${project}`, bin('vitest'), [
    'run',
    '--project',
    project,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${out}`,
  ]);
  let report: VitestJson | undefined;
  try {
    report = JSON.parse(readFileSync(out, 'utf8')) as VitestJson;
  } catch {
    report = undefined;
  }
  if (!report) {
    console.error(`vitest ${project}: no JSON report (exit ${status}); counting the run as one failure`);
    failed++;
    continue;
  }
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  // A suite that failed to load has no failed *tests* but did fail.
  if (status !== 0 && report.numFailedTests === 0) failed++;
}

const electronegativity = join(root, 'tests', 'security', 'electronegativity.ts');
if (existsSync(electronegativity)) {
  if (run('Electronegativity', process.execPath, [electronegativity]) === 0) passed++;
  else failed++;
} else {
  console.error('Electronegativity: tests/security/electronegativity.ts is missing; counted as skipped');
  skipped++;
}

{
  const out = join(tmp, 'e2e.json');
  const status = run(
    'end-to-end (Playwright)',
    bin('playwright'),
    ['test', '-c', 'tests/e2e/playwright.config.ts', '--reporter=list,json'],
    { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: out },
  );
  let report: PlaywrightJson | undefined;
  try {
    report = JSON.parse(readFileSync(out, 'utf8')) as PlaywrightJson;
  } catch {
    report = undefined;
  }
  if (!report?.stats) {
    console.error(`playwright: no JSON report (exit ${status}); counting the run as one failure`);
    failed++;
  } else {
    passed += report.stats.expected + report.stats.flaky;
    failed += report.stats.unexpected;
    skipped += report.stats.skipped;
    // Global setup or a file that did not load fails the run without a failed test.
    if (status !== 0 && report.stats.unexpected === 0) failed++;
  }
}
rmSync(tmp, { recursive: true, force: true });

if (staticFailures > 0)
  console.error(`\n${staticFailures} static check(s) failed (typecheck / lint / build): see above`);
console.log(`\n${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || staticFailures > 0 ? 1 : 0);

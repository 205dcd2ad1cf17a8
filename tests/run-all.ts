/**
 * `npm test`: the whole suite, in the order that fails fastest — typecheck, lint, unit
 * (in-process emulator), integration (pcscd + vpcd + OpenSC). Ends with the one line CI reads:
 * `N passed, N failed[, N skipped]`, summed from vitest's JSON reports.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

function run(label: string, cmd: string, args: string[]): number {
  process.stdout.write(`\n=== ${label} ===\n`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env });
  return r.status ?? 1;
}

if (run('typecheck (tsc)', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']) !== 0) staticFailures++;
if (run('lint + format (biome)', bin('biome'), ['check', '.']) !== 0) staticFailures++;

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
rmSync(tmp, { recursive: true, force: true });

if (staticFailures > 0) console.error(`\n${staticFailures} static check(s) failed (typecheck / lint): see above`);
console.log(`\n${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || staticFailures > 0 ? 1 : 0);

/**
 * The Electronegativity gate (tests/security/electronegativity.ts) finds what it should, fails
 * when it should, passes a hardened app, and never touches the network.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { failed, formatReport, PLANTED, type ScanReport, scan } from '../security/electronegativity.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const script = join(root, 'tests/security/electronegativity.ts');
const tmp = mkdtempSync(join(tmpdir(), 'eng-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function fixture(name: string, files: Record<string, string>): string {
  const dir = join(tmp, name);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

const ids = (r: ScanReport) => r.findings.map((f) => f.id);

/** A main process written the way DESIGN §3 asks, with the two reviewed findings silenced in place. */
const HARDENED_MAIN = `import { app, BrowserWindow, session } from 'electron';

function isAllowed(url: string): boolean {
  return new URL(url).origin === 'app://myna-companion';
}

app.whenReady().then(() => {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, cb) => cb(false));
  const win = new BrowserWindow({
    webPreferences: {
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      disableBlinkFeatures: 'Auxclick',
      preload: /* eng-disable PRELOAD_JS_CHECK @preserve (exposes only the IPC contract) */ '/app/preload.cjs',
    },
  });
  win.webContents.on('will-navigate', (e, url) => {
    if (!isAllowed(url)) e.preventDefault();
  });
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  void win.loadURL('app://myna-companion/index.html');
});
`;

const HARDENED_PAGE = `<!doctype html>
<html>
<head>
<!-- script-src 'self' is our own app:// bundle only: reviewed -->
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"><!-- eng-disable CSP_GLOBAL_CHECK -->
</head>
<body><div id="root"></div><script type="module" src="./main.js"></script></body>
</html>
`;

describe('electronegativity gate', () => {
  it('reports a planted nodeIntegration: true in a .cjs file (the preload/bundle extension) and fails', async () => {
    const dir = fixture('planted', { 'main.cjs': PLANTED });
    const report = await scan([dir]);
    expect(report.findings).toContainEqual(
      expect.objectContaining({ id: 'NODE_INTEGRATION_JS_CHECK', file: join(dir, 'main.cjs'), line: 2 }),
    );
    expect(report.files).toBe(1);
    expect(report.networkAttempts).toEqual([]);
    expect(failed(report)).toBe(true);
    expect(formatReport(report)).toMatch(/NODE_INTEGRATION_JS_CHECK \[\w+\/\w+\] .*main\.cjs:2:\d+/);
  });

  it('passes a hardened app whose reviewed findings are silenced in place', async () => {
    const dir = fixture('hardened', { 'main/index.ts': HARDENED_MAIN, 'renderer/index.html': HARDENED_PAGE });
    const report = await scan([dir]);
    expect(report.findings).toEqual([]);
    expect(report.errors).toEqual([]);
    expect(failed(report)).toBe(false);
    expect(report.files).toBe(2);
  });

  it('without the in-place review the same app fails (the silencing is what made it pass)', async () => {
    const dir = fixture('unreviewed', {
      'main/index.ts': HARDENED_MAIN.replace(/\/\* eng-disable [^*]*\*\/ /, ''),
      'renderer/index.html': HARDENED_PAGE.replace('<!-- eng-disable CSP_GLOBAL_CHECK -->', ''),
    });
    const report = await scan([dir]);
    expect(ids(report).sort()).toEqual(['CSP_GLOBAL_CHECK', 'PRELOAD_JS_CHECK']);
    const csp = report.findings.find((f) => f.id === 'CSP_GLOBAL_CHECK');
    expect(csp?.detail?.join('\n')).toMatch(/script-src: 'self' can be problematic/);
  });

  it('reads bundles with syntax its JavaScript walker does not know (class private fields) through its TypeScript path', async () => {
    const bundle = `class Store {\n  #items = [];\n  get size() { return this.#items.length; }\n}\n${PLANTED}`;
    const dir = fixture('private-fields', { 'index.js': bundle });
    const report = await scan([dir]);
    expect(report.errors).toEqual([]);
    expect(report.findings).toContainEqual(
      expect.objectContaining({ id: 'NODE_INTEGRATION_JS_CHECK', file: join(dir, 'index.js'), line: 6 }),
    );
  });

  it('leaves test files out (they plant insecure settings on purpose and are not shipped)', async () => {
    const dir = fixture('tests-only', { 'window.test.ts': PLANTED, 'test-support.ts': PLANTED });
    const report = await scan([dir]);
    expect(report.files).toBe(0);
    expect(ids(report)).not.toContain('NODE_INTEGRATION_JS_CHECK');
  });

  it('a file it cannot parse fails the gate (an unparsed file is an unscanned file)', async () => {
    const dir = fixture('unparsable', { 'broken.js': 'const = ;\n' });
    const report = await scan([dir]);
    expect(report.errors.some((e) => !e.tolerable && e.file === join(dir, 'broken.js'))).toBe(true);
    expect(failed(report)).toBe(true);
  });

  it('the CLI exits 1 on findings (with file:line) and 0 with a summary line when clean; --json is JSON', () => {
    const planted = fixture('cli-planted', { 'main.js': PLANTED });
    const bad = spawnSync(process.execPath, [script, planted], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/NODE_INTEGRATION_JS_CHECK .*main\.js:2:/);

    const clean = fixture('cli-clean', { 'main/index.ts': HARDENED_MAIN, 'renderer/index.html': HARDENED_PAGE });
    const good = spawnSync(process.execPath, [script, clean], { encoding: 'utf8' });
    expect(good.stderr).toBe('');
    expect(good.status).toBe(0);
    expect(good.stdout.trim()).toMatch(/^electronegativity: 0 finding\(s\), 0 unparsed file\(s\) in 2 file\(s\)/);

    const json = spawnSync(process.execPath, [script, '--json', planted], { encoding: 'utf8' });
    expect(json.status).toBe(1);
    const report = JSON.parse(json.stdout) as ScanReport;
    expect(report.findings.map((f) => f.id)).toContain('NODE_INTEGRATION_JS_CHECK');
    expect(report.networkAttempts).toEqual([]);
  }, 60_000);

  it('--self-test passes', () => {
    const r = spawnSync(process.execPath, [script, '--self-test'], { encoding: 'utf8' });
    expect(r.stdout).toContain('self-test: planted nodeIntegration: true was reported');
    expect(r.status).toBe(0);
  }, 60_000);
});

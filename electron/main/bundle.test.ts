/**
 * The build (scripts/build.ts) and, when out/ has been built, the built main itself: loaded in
 * plain Node with `electron` resolved to the fakes, it starts the demo app for real — embedded
 * portal, demo card, IPC, the portal window from app:// — and the page's `/api/` reaches the
 * portal through main's proxy. This is the closest this machine gets to running the app
 * (no Electron binary here); the `_electron` Playwright tests do the rest where one exists.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importedSpecifiers, mainExternals, REQUIRED_EXTERNALS, sourceUrlPlugin } from '../../scripts/build.ts';
import { buildCsp } from './security/csp.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const OUT_MAIN = join(ROOT, 'out', 'main', 'index.js');
const OUT_PRELOADS = ['portal', 'consent'].map((k) => join(ROOT, 'out', 'preload', `${k}.cjs`));
const built =
  existsSync(OUT_MAIN) && OUT_PRELOADS.every((p) => existsSync(p)) && existsSync(join(ROOT, 'out', 'renderer'));

describe('scripts/build.ts', () => {
  it('main keeps the native addons and Electron-bound stores external, with every runtime dependency', () => {
    const externals = mainExternals();
    for (const e of REQUIRED_EXTERNALS) expect(externals).toContain(e);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    for (const d of Object.keys(pkg.dependencies)) expect(externals).toContain(d);
  });

  it.runIf(existsSync(OUT_MAIN))(
    'the built main keeps settings in electron-store (index.ts passes its factory)',
    () => {
      expect(importedSpecifiers(readFileSync(OUT_MAIN, 'utf8'))).toContain('electron-store');
    },
  );

  it('finds what a built file loads', () => {
    expect(
      importedSpecifiers(
        'let e = require("electron");\nimport { a } from "node:fs";\nimport "x";\nexport { b } from \'./y.js\';\nawait import("z");',
      ),
    ).toEqual(['./y.js', 'electron', 'node:fs', 'x', 'z']);
  });

  it('rewrites import.meta.url of our modules to their source location, not of dependencies', () => {
    const plugin = sourceUrlPlugin(join(ROOT, 'out', 'main', 'index.js'));
    const transform = plugin.transform as (code: string, id: string) => { code: string } | null;
    const ours = transform(
      "readFileSync(new URL('./residents.json', import.meta.url))",
      join(ROOT, 'resources/demo/load.ts'),
    );
    expect(ours?.code).toBe(
      'readFileSync(new URL(\'./residents.json\', new URL("../../resources/demo/load.ts", import.meta.url).href))',
    );
    expect(transform('import.meta.url', join(ROOT, 'node_modules/x/index.js'))).toBeNull();
    expect(transform('const a = 1', join(ROOT, 'native/x.ts'))).toBeNull();
  });
});

describe.skipIf(!built)('the built output (out/)', () => {
  it('each preload is one CommonJS file that requires only electron', () => {
    for (const p of OUT_PRELOADS) {
      const code = readFileSync(p, 'utf8');
      expect(importedSpecifiers(code), p).toEqual(['electron']);
      expect(code).toMatch(/require\("electron"\)/);
      expect(code).toContain('exposeInMainWorld');
    }
  });

  it('out/main/index.js starts the demo app in Node with the fakes: portal window from app://, /api/ proxied, clean quit', {
    timeout: 60_000,
  }, () => {
    const userData = mkdtempSync(join(tmpdir(), 'myna-bundle-'));
    const driver = `
        const electron = await import('electron');
        const { app, mock, session, ipcMain } = electron;
        app.setPath('userData', process.env.SMOKE_USER_DATA);
        app.appPath = process.env.SMOKE_APP_ROOT;
        let quit = false;
        app.on('will-quit', () => { quit = true; });
        await import(process.env.SMOKE_MAIN);
        app.fireReady();
        const until = async (f) => { const end = Date.now() + 30000; while (!f() && Date.now() < end) await new Promise((r) => setTimeout(r, 25)); };
        await until(() => mock.created.length > 0);
        const win = mock.created[0];
        const ses = session.fromPartition(win.options.webPreferences.partition);
        const page = await ses.protocol.fetch('app://myna-companion/index.html');
        const api = await ses.protocol.fetch('app://myna-companion/api/v1/me');
        const result = {
          sandbox: app.sandboxEnabled,
          loaded: win.webContents.loaded,
          preload: win.options.webPreferences.preload,
          webPreferences: win.options.webPreferences,
          page: page.status,
          pageType: page.headers.get('content-type'),
          pageCsp: page.headers.get('content-security-policy'),
          api: api.status,
          apiBody: await api.json(),
          channels: [...ipcMain.handlers.keys()].length,
        };
        app.quit();
        await until(() => quit);
        result.quit = quit;
        console.log('SMOKE ' + JSON.stringify(result));
        process.exit(0);
      `;
    const r = spawnSync(
      process.execPath,
      ['--import', join(ROOT, 'tests/mocks/electron-loader.ts'), '--input-type=module', '-e', driver],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 55_000,
        env: {
          ...process.env,
          SMOKE_USER_DATA: userData,
          SMOKE_APP_ROOT: ROOT,
          SMOKE_MAIN: new URL(`file://${OUT_MAIN}`).href,
          // No pcscd socket here: the demo card (emulator) is used.
          PCSCLITE_CSOCK_NAME: join(userData, 'no-pcscd'),
        },
      },
    );
    rmSync(userData, { recursive: true, force: true });
    const line = r.stdout.split('\n').find((l) => l.startsWith('SMOKE '));
    expect(line, `${r.stdout}\n${r.stderr}`).toBeDefined();
    const result = JSON.parse(line?.slice(6) ?? '{}') as {
      sandbox: boolean;
      loaded: string[];
      preload: string;
      webPreferences: Record<string, unknown>;
      page: number;
      pageType: string;
      pageCsp: string;
      api: number;
      apiBody: { code?: string };
      channels: number;
      quit: boolean;
    };
    expect(result.sandbox).toBe(true);
    expect(result.loaded).toEqual(['app://myna-companion/index.html']);
    expect(result.preload).toBe(join(ROOT, 'out', 'preload', 'portal.cjs'));
    expect(result.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
    expect(result.page).toBe(200);
    expect(result.pageType).toBe('text/html; charset=utf-8');
    // The embedded demo portal listens on a random loopback port: its origin is in connect-src.
    const portalOrigin = /connect-src 'self' (\S+);/.exec(result.pageCsp)?.[1] ?? '';
    expect(portalOrigin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(result.pageCsp).toBe(buildCsp({ portalOrigin }));
    // The portal itself answered (its problem code), through main's proxy.
    expect(result.api).toBe(401);
    expect(result.apiBody.code).toBe('UNAUTHENTICATED');
    expect(result.channels).toBeGreaterThan(10);
    expect(result.quit).toBe(true);
  });
});

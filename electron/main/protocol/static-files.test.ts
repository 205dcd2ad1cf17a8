import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mimeTypeOf, readStaticFile, resolveStaticPath } from './static-files.ts';

let base: string;
let root: string;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'myna-static-'));
  root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>portal</title>');
  writeFileSync(join(root, 'consent.html'), '<!doctype html><title>consent</title>');
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(root, 'assets', 'noto.woff2'), 'w');
  writeFileSync(join(root, '.env'), 'SECRET=1');
  writeFileSync(join(base, 'secret.txt'), 'outside');
  mkdirSync(join(base, 'renderer-evil'));
  writeFileSync(join(base, 'renderer-evil', 'x.js'), 'evil');
  symlinkSync(join(base, 'secret.txt'), join(root, 'assets', 'link-out.txt'));
  symlinkSync(base, join(root, 'assets', 'dir-out'));
  symlinkSync(join(root, 'index.html'), join(root, 'assets', 'link-in.html'));
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('app:// path resolution (checklist #18)', () => {
  it('#18 maps paths inside out/renderer, / to index.html', () => {
    expect(resolveStaticPath(root, '/')).toEqual({ ok: true, path: join(root, 'index.html') });
    expect(resolveStaticPath(root, '/assets/index-abc.js')).toEqual({
      ok: true,
      path: join(root, 'assets/index-abc.js'),
    });
    expect(resolveStaticPath(root, '/assets/%E3%83%9E.png')).toEqual({ ok: true, path: join(root, 'assets/マ.png') });
  });

  it('#18 rejects traversal in every encoding before touching the disk', () => {
    for (const p of [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E/secret.txt',
      '/.%2e/secret.txt',
      '/assets%2f..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
      '/assets\\..\\..\\secret.txt',
      '/%5c%5cserver%5cshare',
      '/index.html%00.png',
      '/index.html\u0000',
      '/C:/Windows/win.ini',
      '/assets/C:secret',
      '//etc/passwd',
      '/assets//index-abc.js',
      '/./index.html',
      '/.env',
      '/assets/%2e',
      '/%',
      '/%E3%83',
      'relative.html',
      '/../renderer-evil/x.js',
    ]) {
      const r = resolveStaticPath(root, p);
      expect(r.ok, JSON.stringify(p)).toBe(false);
    }
  });

  it('#18 serves files and gives 404 for missing files, directories, escapes and symlinks out', async () => {
    const ok = await readStaticFile(root, '/assets/index-abc.js');
    expect(ok.status).toBe(200);
    if (ok.status === 200) {
      expect(new TextDecoder().decode(ok.body)).toBe('console.log(1)');
      expect(ok.contentType).toBe('text/javascript; charset=utf-8');
    }
    expect(await readStaticFile(root, '/nope.html')).toMatchObject({ status: 404 });
    expect(await readStaticFile(root, '/assets')).toMatchObject({ status: 404, reason: 'not a file' });
    expect(await readStaticFile(root, '/%2e%2e/secret.txt')).toMatchObject({ status: 404 });
    expect(await readStaticFile(root, '/assets/link-out.txt')).toMatchObject({
      status: 404,
      reason: 'symlink escapes the root',
    });
    expect(await readStaticFile(root, '/assets/dir-out/secret.txt')).toMatchObject({
      status: 404,
      reason: 'symlink escapes the root',
    });
    // A link that stays inside is fine.
    expect(await readStaticFile(root, '/assets/link-in.html')).toMatchObject({ status: 200 });
  });

  it('gives each file its MIME type (nosniff needs them right)', () => {
    expect(mimeTypeOf('a.html')).toBe('text/html; charset=utf-8');
    expect(mimeTypeOf('a.JS')).toBe('text/javascript; charset=utf-8');
    expect(mimeTypeOf('a.css')).toBe('text/css; charset=utf-8');
    expect(mimeTypeOf('a.woff2')).toBe('font/woff2');
    expect(mimeTypeOf('a.svg')).toBe('image/svg+xml');
    expect(mimeTypeOf('a.json')).toBe('application/json; charset=utf-8');
    expect(mimeTypeOf('a.unknown')).toBe('application/octet-stream');
    expect(mimeTypeOf('Makefile')).toBe('application/octet-stream');
  });
});

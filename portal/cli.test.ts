import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'myna-portal-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function start(args: string[]): Promise<{ child: ChildProcessWithoutNullStreams; url: string; stderr: () => string }> {
  const child = spawn(process.execPath, [cli, ...args], { stdio: 'pipe' });
  let out = '';
  let err = '';
  child.stderr.on('data', (c) => {
    err += c;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line; stderr: ${err}`)), 15_000);
    child.stdout.on('data', (c) => {
      out += c;
      const m = out.match(/^portal ready: (\S+)$/m);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1] as string, stderr: () => err });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code}: ${err}`));
    });
  });
}

const exited = (child: ChildProcessWithoutNullStreams) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.on('exit', (code) => resolve(code));
  });

describe('npm run portal (portal/cli.ts)', () => {
  it('prints the URL, serves, and exits 0 on SIGTERM; a restart on the same data dir keeps the data', async () => {
    const first = await start(['--port', '0', '--data-dir', dataDir, '--seed', 'demo']);
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${first.url}/api/v1/health`);
    expect((await health.json()).status).toBe('ok');
    const munis = (await (await fetch(`${first.url}/api/v1/municipalities`)).json()).items;
    first.child.kill('SIGTERM');
    expect(await exited(first.child)).toBe(0);
    expect(first.stderr()).toContain('portal: stopped');

    const second = await start(['--data-dir', dataDir, '--seed', 'demo']);
    expect((await (await fetch(`${second.url}/api/v1/municipalities`)).json()).items).toEqual(munis);
    second.child.kill('SIGINT');
    expect(await exited(second.child)).toBe(0);
  });

  it('usage errors exit 2, --help exits 0', async () => {
    const bad = spawn(process.execPath, [cli, '--seed', 'everything'], { stdio: 'pipe' });
    expect(await exited(bad as ChildProcessWithoutNullStreams)).toBe(2);
    const unknown = spawn(process.execPath, [cli, '--frobnicate'], { stdio: 'pipe' });
    expect(await exited(unknown as ChildProcessWithoutNullStreams)).toBe(2);
    const help = spawn(process.execPath, [cli, '--help'], { stdio: 'pipe' });
    let text = '';
    help.stdout.on('data', (c) => {
      text += c;
    });
    expect(await exited(help as ChildProcessWithoutNullStreams)).toBe(0);
    expect(text).toContain('--data-dir');
  });

  it('a missing trust file is a start-up failure (exit 1)', async () => {
    const r = spawn(process.execPath, [cli, '--data-dir', dataDir, '--auth-ca', join(dataDir, 'nope.pem')], {
      stdio: 'pipe',
    });
    expect(await exited(r as ChildProcessWithoutNullStreams)).toBe(1);
  });
});

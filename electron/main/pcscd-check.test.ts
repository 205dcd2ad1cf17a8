import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkPcscdAvailable, DEFAULT_PCSCD_SOCKET, type PcscdCheckResult } from './pcscd-check.ts';

const DEBIAN_LIB = '/usr/lib/x86_64-linux-gnu/libpcsclite.so.1';

function check(files: string[], env: Record<string, string> = {}, platform = 'linux'): PcscdCheckResult {
  const set = new Set(files);
  return checkPcscdAvailable({ platform, exists: (p) => set.has(p), env });
}

function failure(r: PcscdCheckResult) {
  if (r.ok) throw new Error('expected a failed check');
  return r;
}

describe('checkPcscdAvailable', () => {
  it('ok on Linux with the library and the pcscd socket', () => {
    expect(check([DEBIAN_LIB, DEFAULT_PCSCD_SOCKET])).toEqual({ ok: true });
  });

  it('finds the library in the other usual places (Fedora lib64, arm64 multiarch, LD_LIBRARY_PATH)', () => {
    expect(check(['/usr/lib64/libpcsclite.so.1', DEFAULT_PCSCD_SOCKET]).ok).toBe(true);
    expect(check(['/usr/lib/aarch64-linux-gnu/libpcsclite.so.1', DEFAULT_PCSCD_SOCKET]).ok).toBe(true);
    expect(
      check(['/opt/pcsc/lib/libpcsclite.so.1', DEFAULT_PCSCD_SOCKET], { LD_LIBRARY_PATH: '/opt/pcsc/lib' }).ok,
    ).toBe(true);
  });

  it('nothing to check on Windows and macOS', () => {
    expect(check([], {}, 'win32')).toEqual({ ok: true });
    expect(check([], {}, 'darwin')).toEqual({ ok: true });
  });

  it('no pcscd socket: explains how to install and start pcscd, in Japanese and English', () => {
    const r = failure(check([DEBIAN_LIB]));
    expect(r.missing).toEqual(['pcscd-socket']);
    expect(r.message.en).toContain('sudo apt install pcscd');
    expect(r.message.en).toContain('sudo systemctl enable --now pcscd.socket');
    expect(r.message.en).toContain('dnf install pcsc-lite');
    expect(r.message.en).toContain(DEFAULT_PCSCD_SOCKET);
    expect(r.message.ja).toContain('pcscd が動いていません');
    expect(r.message.ja).toContain('sudo systemctl enable --now pcscd.socket');
  });

  it('no library: asks for libpcsclite1 as well', () => {
    const r = failure(check([DEFAULT_PCSCD_SOCKET]));
    expect(r.missing).toEqual(['libpcsclite']);
    expect(r.message.en).toContain('sudo apt install pcscd libpcsclite1');
    expect(r.message.ja).toContain('libpcsclite.so.1');
    expect(r.message.ja).toContain('sudo apt install pcscd libpcsclite1');
  });

  it('neither: both are reported', () => {
    expect(failure(check([])).missing).toEqual(['libpcsclite', 'pcscd-socket']);
  });

  it('PCSCLITE_CSOCK_NAME replaces the default socket path (as libpcsclite does)', () => {
    const env = { PCSCLITE_CSOCK_NAME: '/tmp/pcscd-test/pcscd.comm' };
    expect(check([DEBIAN_LIB, '/tmp/pcscd-test/pcscd.comm'], env).ok).toBe(true);
    const r = failure(check([DEBIAN_LIB, DEFAULT_PCSCD_SOCKET], env));
    expect(r.message.en).toContain('/tmp/pcscd-test/pcscd.comm');
  });

  it('a real socket file counts (existsSync sees the socket pcscd creates)', () => {
    if (process.platform !== 'linux' || !existsSync(DEFAULT_PCSCD_SOCKET) || !existsSync(DEBIAN_LIB)) return;
    expect(checkPcscdAvailable({ platform: 'linux', exists: existsSync, env: {} })).toEqual({ ok: true });
  });
});

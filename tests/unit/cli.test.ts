/**
 * The `myna` command end to end in-process: argument handling, output, exit codes, PIN input,
 * against the emulator (the pcsc path is covered in tests/integration).
 */
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CardAccess } from '../../native/cli/card-access.ts';
import { main } from '../../native/cli/main.ts';
import { stdinSecrets } from '../../native/cli/secret-input.ts';
import { InProcessTransport } from '../../native/emulator/in-process-transport.ts';
import { loadResident } from '../../native/emulator/load-profile.ts';
import type { CardProfile } from '../../native/emulator/profile.ts';

let alice: CardProfile;
beforeAll(async () => {
  alice = await loadResident('resident-01');
});

async function cli(args: string[], opts: { stdin?: string; transport?: InProcessTransport } = {}) {
  let out = '';
  let err = '';
  const t = opts.transport ?? new InProcessTransport(alice, { readerName: 'test reader' });
  const code = await main(args, {
    out: (s) => {
      out += s;
    },
    err: (s) => {
      err += s;
    },
    secrets: stdinSecrets(Readable.from([Buffer.from(opts.stdin ?? '')])),
    open: async (): Promise<CardAccess> => ({ transport: t, readerName: t.readerName, close: async () => {} }),
  });
  return { code, out, err, t };
}

describe('myna CLI', () => {
  it('prints help with the exit codes, and usage errors exit 2', async () => {
    const h = await cli(['--help']);
    expect(h.code).toBe(0);
    expect(h.out).toContain('Exit codes');
    expect((await cli([])).code).toBe(2);
    expect((await cli(['frobnicate'])).code).toBe(2);
    expect((await cli(['cert', 'nope'])).code).toBe(2);
    expect((await cli(['status', '--no-such-flag'])).code).toBe(2);
  });

  it('status --json reports the card kind and every PIN counter', async () => {
    const r = await cli(['status', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.card.kind).toBe('mynumber-card');
    expect(j.pins.map((p: { remaining: number }) => p.remaining)).toEqual([3, 5, 3]);
    expect(j.atr).toBe('3BDA13FF8131FB468012392F31C173C601C03B');
  });

  it('cert writes the same DER the card holds, as PEM or DER', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'myna-cli-'));
    expect((await cli(['cert', 'auth', '--out', join(dir, 'a.der')])).code).toBe(0);
    expect(readFileSync(join(dir, 'a.der')).equals(Buffer.from(alice.authCert))).toBe(true);
    const pem = await cli(['cert', 'sign-ca', '--pem']);
    expect(new X509Certificate(pem.out).raw.equals(Buffer.from(alice.signCaCert))).toBe(true);
    expect((await cli(['cert', 'auth'])).code).toBe(2); // DER to a terminal is refused
  });

  it('cert sign asks for the password on stdin, never on argv', async () => {
    const r = await cli(['cert', 'sign', '--json'], { stdin: 'abc123\n' });
    expect(r.code).toBe(0);
    expect(Buffer.from(JSON.parse(r.out).der, 'base64').equals(Buffer.from(alice.signCert))).toBe(true);
  });

  it('a wrong PIN exits 5 with the tries left in both languages, and the PIN appears nowhere', async () => {
    const r = await cli(['basic-info', '--json'], { stdin: '9876\n' });
    expect(r.code).toBe(5);
    expect(r.err).toContain('残り2回');
    expect(r.err).toContain('2 tries left');
    expect(JSON.parse(r.out).error.details.remaining).toBe(2);
    expect(r.out + r.err).not.toContain('9876');
  });

  it('a badly shaped PIN exits 5 and reaches no card', async () => {
    const t = new InProcessTransport(alice);
    const r = await cli(['basic-info'], { stdin: '12345\n', transport: t });
    expect(r.code).toBe(5);
    expect(r.err).toContain('PIN_FORMAT');
    expect(t.log.apdus().filter((a) => a.header === '00200080' && a.lc !== null)).toHaveLength(0);
  });

  it('pin change reads the current and new PIN from stdin and the new one works', async () => {
    const t = new InProcessTransport(alice);
    expect((await cli(['pin', 'change', 'sign'], { stdin: 'ABC123\nNEWPASS9\n', transport: t })).code).toBe(0);
    expect((await cli(['cert', 'sign', '--json'], { stdin: 'newpass9\n', transport: t })).code).toBe(0);
    expect((await cli(['pin', 'change', 'sign'], { stdin: 'ABC123\n', transport: t })).code).toBe(2); // no new PIN line
  });

  it('a blocked PIN exits 6 before any PIN is read or sent', async () => {
    const t = new InProcessTransport(await loadResident('resident-04'));
    const r = await cli(['cert', 'sign'], { stdin: '', transport: t });
    expect(r.code).toBe(6);
    expect(r.err).toContain('PIN_BLOCKED');
    expect(t.log.apdus().filter((a) => a.header === '00200080' && a.lc !== null)).toHaveLength(0);
  });

  it('basic-info prints the four fields', async () => {
    const r = await cli(['basic-info', '--json'], { stdin: '1234\n' });
    expect(JSON.parse(r.out)).toEqual(alice.basic4);
  });

  it('selftest passes on a good card and names the blocked PIN on a locked one', async () => {
    const good = await cli(['selftest', '--emulator']);
    expect(good.code).toBe(0);
    expect(good.out).toContain('selftest passed');
    const locked = await cli(['selftest', '--resident', 'resident-04', '--json'], {
      transport: new InProcessTransport(await loadResident('resident-04')),
    });
    expect(locked.code).toBe(6);
    const steps = JSON.parse(locked.out).steps as { step: string; status: string }[];
    expect(steps.find((s) => s.step === 'pin-sign')?.status).toBe('fail');
    const expired = await cli(['selftest', '--resident', 'resident-03', '--json'], {
      transport: new InProcessTransport(await loadResident('resident-03')),
    });
    expect(JSON.parse(expired.out).steps.find((s: { step: string }) => s.step === 'auth-certificate').status).toBe(
      'warn',
    );
  });

  it('no card → exit 3 with the remedy', async () => {
    const r = await cli(['status'], { transport: new InProcessTransport(alice, { present: false }) });
    expect(r.code).toBe(3);
    expect(r.err).toContain('NO_CARD');
    expect(r.err).toContain('マイナンバーカード');
  });
});

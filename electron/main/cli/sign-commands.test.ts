/**
 * `myna sign` / `myna sign-application` in-process against the emulator: outputs verify with
 * openssl; tries left before the password; exit codes; and no partial output on any failure.
 */
import { mkdirSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CardTransport } from '../../../native/card-transport.ts';
import type { CardAccess } from '../../../native/cli/card-access.ts';
import { type SecretSource, stdinSecrets } from '../../../native/cli/secret-input.ts';
import { InProcessTransport } from '../../../native/emulator/in-process-transport.ts';
import {
  FlippingTransport,
  opensslVerify,
  REPO_ROOT,
  readZip,
  residentProfile,
  run,
  samplePdf,
  samplePng,
  tempDir,
} from '../services/signing/test-support.ts';
import { EXIT_SIGNING_INPUT, signMain } from './sign-commands.ts';

interface CliRun {
  code: number;
  out: string;
  err: string;
  prompts: string[];
  transport: CardTransport;
}

async function cli(
  args: string[],
  opts: { stdin?: string; resident?: string; transport?: CardTransport; secrets?: SecretSource } = {},
): Promise<CliRun> {
  let out = '';
  let err = '';
  const prompts: string[] = [];
  const transport =
    opts.transport ??
    new InProcessTransport(await residentProfile(opts.resident ?? 'resident-01'), { readerName: 'test' });
  const inner = opts.secrets ?? stdinSecrets(Readable.from([Buffer.from(opts.stdin ?? '')]));
  const code = await signMain(args, {
    out: (s) => {
      out += s;
    },
    err: (s) => {
      err += s;
    },
    secrets: {
      next: (p) => {
        prompts.push(p);
        return inner.next(p);
      },
    },
    open: async (): Promise<CardAccess> => ({ transport, readerName: transport.readerName, close: async () => {} }),
    now: () => new Date('2026-06-01T00:00:00Z'),
  });
  return { code, out, err, prompts, transport };
}

/** A folder with DRAFT.json and two attachments under scans/. */
function draftDir(over: Record<string, unknown> = {}): { dir: string; draft: string } {
  const dir = tempDir('myna-cli-sign-');
  mkdirSync(join(dir, 'scans'));
  writeFileSync(join(dir, 'scans', 'income.pdf'), samplePdf(3000));
  writeFileSync(join(dir, 'scans', 'photo.png'), samplePng(800));
  const draft = {
    procedureId: 'hoikusho-nyusho',
    municipalityCode: '131041',
    form: { applicant: { name: '見本　花子' }, children: [{ name: '見本　太郎', age: 3 }] },
    attachments: [
      { name: '所得証明書.pdf', mediaType: 'application/pdf', path: 'scans/income.pdf' },
      { name: '写真.png', mediaType: 'image/png', path: 'scans/photo.png' },
    ],
    ...over,
  };
  writeFileSync(join(dir, 'DRAFT.json'), JSON.stringify(draft, null, 2));
  return { dir, draft: join(dir, 'DRAFT.json') };
}

/** The folder's files, so that a failure can be shown to leave nothing behind (no .partial). */
const listing = (dir: string) => readdirSync(dir).sort();

describe('myna sign / sign-application: arguments', () => {
  it('help exits 0 and documents DRAFT.json and exit code 8; usage errors exit 2', async () => {
    const h = await cli(['sign', '--help']);
    expect(h.code).toBe(0);
    expect(h.out).toContain('DRAFT.json');
    expect(h.out).toContain('8  the draft');
    expect((await cli([])).code).toBe(2);
    expect((await cli(['sign'])).code).toBe(2);
    expect((await cli(['sign', '--out', '/tmp/x.p7s'])).code).toBe(2);
    expect((await cli(['sign-application', '--out', '/tmp/x.mynapkg'])).code).toBe(2);
    expect((await cli(['sign', '--in', '/nonexistent', '--out', '/tmp/x.p7s'])).code).toBe(2);
    expect((await cli(['sign', '--bogus'])).code).toBe(2);
    expect((await cli(['sign', '--in', 'a', '--out', 'b', 'extra'])).code).toBe(2);
  });

  it('refuses to overwrite the input, or to write into a missing folder — before touching the card', async () => {
    const dir = tempDir();
    const f = join(dir, 'doc.txt');
    writeFileSync(f, 'hello');
    const t = new InProcessTransport(await residentProfile('resident-01'));
    const same = await cli(['sign', '--in', f, '--out', f], { stdin: 'ABC123\n', transport: t });
    expect(same.code).toBe(2);
    const missing = await cli(['sign', '--in', f, '--out', join(dir, 'no/such/dir/x.p7s')], {
      stdin: 'ABC123\n',
      transport: t,
    });
    expect(missing.code).toBe(2);
    expect(t.faults.apduCount).toBe(0);
    expect(readFileSync(f, 'utf8')).toBe('hello');
  });
});

describe('myna sign', () => {
  it('detached: writes FILE.p7s that openssl verifies with -content; --json describes it', async () => {
    const dir = tempDir();
    const f = join(dir, '契約書.pdf');
    const data = samplePdf(5000);
    writeFileSync(f, data);
    const out = join(dir, '契約書.pdf.p7s');
    const r = await cli(['sign', '--in', f, '--out', out, '--json', '--pin-stdin'], { stdin: 'abc123\n' });
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ out, attached: false, signingTime: '2026-06-01T00:00:00.000Z' });
    expect(j.signer.subject).toContain('CN=');
    expect(opensslVerify(readFileSync(out), data).status).toBe(0);
    expect(r.err).toContain('tries left: 5/5');
    expect(r.err).not.toContain('abc123');
    expect(r.out).not.toContain('abc123');
    expect(listing(dir)).toEqual(['契約書.pdf', '契約書.pdf.p7s']);
  });

  it('--attached: openssl recovers the file', async () => {
    const dir = tempDir();
    const f = join(dir, 'note.txt');
    writeFileSync(f, 'line 1\r\nline 2\n');
    const out = join(dir, 'note.p7s');
    const r = await cli(['sign', '--in', f, '--out', out, '--attached'], { stdin: 'ABC123\n' });
    expect(r.code, r.err).toBe(0);
    const v = opensslVerify(readFileSync(out));
    expect(v.status, v.stderr).toBe(0);
    expect(v.stdout.toString()).toBe('line 1\r\nline 2\n');
  });
});

describe('myna sign: large files', () => {
  it('over 64 MiB: detached is signed from a streamed hash; --attached is refused with exit 8', async () => {
    const dir = tempDir();
    const f = join(dir, 'big.bin');
    writeFileSync(f, '');
    truncateSync(f, 65 * 1024 * 1024); // sparse zeros
    const r = await cli(['sign', '--in', f, '--out', join(dir, 'big.p7s')], { stdin: 'ABC123\n' });
    expect(r.code, r.err).toBe(0);
    const v = run('openssl', [
      'cms',
      '-verify',
      '-binary',
      '-inform',
      'DER',
      '-in',
      join(dir, 'big.p7s'),
      '-content',
      f,
      '-CAfile',
      join(REPO_ROOT, 'resources/demo/pki/sign-ca.pem'),
      '-purpose',
      'any',
      '-out',
      '/dev/null',
    ]);
    expect(v.status, v.stderr).toBe(0);
    const a = await cli(['sign', '--in', f, '--out', join(dir, 'big-att.p7s'), '--attached', '--json']);
    expect(a.code).toBe(EXIT_SIGNING_INPUT);
    expect(JSON.parse(a.out).error.code).toBe('CONTENT_TOO_LARGE');
    expect(listing(dir)).toEqual(['big.bin', 'big.p7s']);
  });
});

describe('myna sign-application', () => {
  it('writes a package that unzips, whose signature openssl verifies, and shows the summary before asking', async () => {
    const { dir, draft } = draftDir();
    const out = join(dir, 'application.mynapkg');
    const r = await cli(['sign-application', '--draft', draft, '--out', out, '--json'], { stdin: 'ABC123\n' });
    expect(r.code, r.err).toBe(0);
    expect(r.prompts).toHaveLength(1);
    // The summary and the tries left come before the prompt (the prompt is the last thing asked).
    expect(r.err).toContain('hoikusho-nyusho');
    expect(r.err).toContain('131041');
    expect(r.err).toContain('所得証明書.pdf (2.9 KiB, application/pdf)');
    expect(r.err).toContain('見本　花子');
    expect(r.err).toMatch(/fingerprint: +[0-9A-F]{4} [0-9A-F]{4}/);
    const j = JSON.parse(r.out);
    expect(j.mediaType).toBe('application/vnd.myna-companion.application+zip');
    expect(j.summary.attachments.map((a: { name: string }) => a.name)).toEqual(['所得証明書.pdf', '写真.png']);

    const pkg = readFileSync(out);
    expect(run('unzip', ['-t', out]).status).toBe(0);
    const entries = readZip(pkg).entries;
    expect(entries.map((e) => e.name)).toEqual([
      'manifest.json',
      'signature.p7s',
      'attachments/所得証明書.pdf',
      'attachments/写真.png',
    ]);
    const v = opensslVerify(entries[1]?.data as Uint8Array);
    expect(v.status, v.stderr).toBe(0);
    expect(Buffer.from(v.stdout).equals(Buffer.from(entries[0]?.data as Uint8Array))).toBe(true);
    expect(listing(dir)).toEqual(['DRAFT.json', 'application.mynapkg', 'scans']);
  });

  it('draft errors exit 8 before the card is touched, naming the problem', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ municipalityCode: '131042' }, 'MUNICIPALITY_CODE_INVALID'],
      [{ procedureId: 'Not A Slug' }, 'PROCEDURE_ID_INVALID'],
      [{ attachments: [{ name: 'a.pdf', mediaType: 'application/pdf', path: 'scans/missing.pdf' }] }, 'DRAFT_INVALID'],
      [
        { attachments: [{ name: 'a/b.pdf', mediaType: 'application/pdf', path: 'scans/income.pdf' }] },
        'FILE_NAME_INVALID',
      ],
      [{ attachments: [{ name: 'a.pdf', mediaType: 'image/png', path: 'scans/income.pdf' }] }, 'MEDIA_TYPE_MISMATCH'],
      [
        { attachments: [{ name: 'a.gif', mediaType: 'image/gif', path: 'scans/income.pdf' }] },
        'MEDIA_TYPE_NOT_ALLOWED',
      ],
      [{ extra: 1 }, 'DRAFT_INVALID'],
    ];
    for (const [over, code] of cases) {
      const { dir, draft } = draftDir(over);
      const t = new InProcessTransport(await residentProfile('resident-01'));
      const r = await cli(['sign-application', '--draft', draft, '--out', join(dir, 'x.mynapkg'), '--json'], {
        stdin: 'ABC123\n',
        transport: t,
      });
      expect(r.code, `${code}: ${r.err}`).toBe(EXIT_SIGNING_INPUT);
      expect(JSON.parse(r.out).error.code).toBe(code);
      expect(r.prompts).toHaveLength(0);
      expect(t.faults.apduCount).toBe(0);
      expect(listing(dir)).toEqual(['DRAFT.json', 'scans']);
    }
  });

  it('an oversized attachment file is refused from its size, without reading it (exit 8)', async () => {
    const { dir, draft } = draftDir();
    truncateSync(join(dir, 'scans', 'income.pdf'), 11 * 1024 * 1024); // sparse: cheap to create
    const r = await cli(['sign-application', '--draft', draft, '--out', join(dir, 'x.mynapkg'), '--json']);
    expect(r.code).toBe(EXIT_SIGNING_INPUT);
    expect(JSON.parse(r.out).error).toMatchObject({ code: 'ATTACHMENT_TOO_LARGE', details: { index: 0 } });
  });

  it('a draft that is not JSON exits 8', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'DRAFT.json'), '{ not json');
    const r = await cli(['sign-application', '--draft', join(dir, 'DRAFT.json'), '--out', join(dir, 'x.mynapkg')]);
    expect(r.code).toBe(EXIT_SIGNING_INPUT);
    expect(r.err).toContain('DRAFT_INVALID');
  });
});

describe('no partial output on failure', () => {
  it('wrong password: exit 5 with tries left; nothing written; an existing file keeps its content', async () => {
    const { dir, draft } = draftDir();
    const out = join(dir, 'x.mynapkg');
    writeFileSync(out, 'OLD');
    const r = await cli(['sign-application', '--draft', draft, '--out', out, '--json'], { stdin: 'WRONG9\n' });
    expect(r.code).toBe(5);
    expect(JSON.parse(r.out).error).toMatchObject({ code: 'PIN_INCORRECT', details: { remaining: 4 } });
    expect(r.err).toContain('残り4回');
    expect(r.err).not.toContain('WRONG9');
    expect(readFileSync(out, 'utf8')).toBe('OLD');
    expect(listing(dir)).toEqual(['DRAFT.json', 'scans', 'x.mynapkg']);
  });

  it('blocked password (resident-04): exit 6 without asking for it', async () => {
    const { dir, draft } = draftDir();
    const r = await cli(['sign-application', '--draft', draft, '--out', join(dir, 'x.mynapkg')], {
      resident: 'resident-04',
    });
    expect(r.code).toBe(6);
    expect(r.prompts).toHaveLength(0);
    expect(r.err).toContain('PIN_BLOCKED');
    expect(listing(dir)).toEqual(['DRAFT.json', 'scans']);
  });

  it('one try left: a hard warning before the prompt', async () => {
    const profile = await residentProfile('resident-01');
    const t = new InProcessTransport({ ...profile, initialTries: { sign: 1 } });
    const dir = tempDir();
    writeFileSync(join(dir, 'a.txt'), 'x');
    const r = await cli(['sign', '--in', join(dir, 'a.txt'), '--out', join(dir, 'a.p7s')], {
      stdin: 'ABC123\n',
      transport: t,
    });
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain('ONE try left');
  });

  it('card removed during the signature: exit 4 (or 3), nothing written', async () => {
    for (const n of [4, 6, 8, 10]) {
      const { dir, draft } = draftDir();
      const t = new InProcessTransport(await residentProfile('resident-01'));
      t.faults.removeAfter(n);
      const r = await cli(['sign-application', '--draft', draft, '--out', join(dir, 'x.mynapkg')], {
        stdin: 'ABC123\n',
        transport: t,
      });
      expect([3, 4], r.err).toContain(r.code);
      expect(listing(dir)).toEqual(['DRAFT.json', 'scans']);
    }
  });

  it('a signature damaged in transit: SELF_CHECK_FAILED, exit 4, nothing written', async () => {
    const { dir, draft } = draftDir();
    const t = new FlippingTransport(new InProcessTransport(await residentProfile('resident-01')));
    const r = await cli(['sign-application', '--draft', draft, '--out', join(dir, 'x.mynapkg'), '--json'], {
      stdin: 'ABC123\n',
      transport: t,
    });
    expect(r.code).toBe(4);
    expect(JSON.parse(r.out).error.code).toBe('SELF_CHECK_FAILED');
    expect(listing(dir)).toEqual(['DRAFT.json', 'scans']);
    const d2 = tempDir();
    writeFileSync(join(d2, 'a.txt'), 'x');
    const s = await cli(['sign', '--in', join(d2, 'a.txt'), '--out', join(d2, 'a.p7s')], {
      stdin: 'ABC123\n',
      transport: t,
    });
    expect(s.code).toBe(4);
    expect(listing(d2)).toEqual(['a.txt']);
  });

  it('no card: exit 3, nothing written', async () => {
    const t = new InProcessTransport(await residentProfile('resident-01'), { present: false });
    const dir = tempDir();
    writeFileSync(join(dir, 'a.txt'), 'x');
    const r = await cli(['sign', '--in', join(dir, 'a.txt'), '--out', join(dir, 'a.p7s')], {
      stdin: 'ABC123\n',
      transport: t,
    });
    expect(r.code).toBe(3);
    expect(listing(dir)).toEqual(['a.txt']);
  });
});

/**
 * `myna verify` and `myna verify-application`: the receiving side's verifier on the command
 * line (bin/myna.js dispatches here). Like the portal, it is a verifier for the municipality
 * side; the defaults trust the FICTIONAL demo sign CA and its CRL.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { verifyCms } from './cms-verifier.ts';
import { ERA_NAMES } from './jpki-san.ts';
import { verifyApplicationPackage } from './package-verifier.ts';
import type { CheckOutcome, SignerSummary } from './result.ts';
import { demoSignTrust, loadCertificates, loadCrls, TrustLoadError } from './trust.ts';

export const VERIFY_EXIT = { VALID: 0, INTERNAL: 1, USAGE: 2, INVALID: 7 } as const;

export const VERIFY_HELP = `myna verify — check CAdES-BES signatures and application packages (receiving side)

Usage:
  myna verify FILE.p7s [--content FILE] [--ca FILE]... [--crl FILE]... [--json]
      verify a DER CMS SignedData: attached, or detached with --content (the signed file)
  myna verify-application PACKAGE [--ca FILE]... [--crl FILE]... [--json]
      verify an application package (.mynapkg): ZIP layout, canonical manifest, the
      signature over the manifest, and every attachment's size and SHA-256

Options:
  --ca FILE       trusted Sign CA certificate, DER or PEM (repeatable). Default: the demo
                  sign CA in resources/demo/pki — FICTIONAL, for demos and tests only.
  --crl FILE      CRL, DER or PEM (repeatable). Default: the demo sign CA's CRL when --ca is
                  not given, none otherwise. Without a CRL for the issuer, revocation is
                  reported as "not checked" (not a failure).
  --content FILE  the signed content of a detached signature
  --json          print the full result as JSON (byte strings as base64)
  -h, --help      this text

Checks (each reported as pass / FAIL / not checked, every failure with its reason):
  package-structure manifest-canonical manifest-signed attachments     (verify-application)
  cms-structure content-type message-digest signed-attributes-der signature chain validity
  key-usage policy signing-certificate revocation

Exit codes:
  0  valid: every check passed (revocation may be "not checked")
  1  internal error
  2  usage error (bad arguments, unreadable file, unreadable CA or CRL file)
  7  the signature or the package is NOT valid

This is the verifier of the receiving side (a portal or municipality holding the CA
certificates and CRLs); it is not the app's self-check and not a J-LIS service.
`;

export interface VerifyIo {
  out: (s: string) => void;
  err: (s: string) => void;
  readFile?: (path: string) => Uint8Array;
  now?: () => Date;
}

const defaultIo: VerifyIo = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
};

class UsageError extends Error {}

function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    function (this: Record<string, unknown>, key, v) {
      const original = this[key];
      if (original instanceof Uint8Array) return Buffer.from(original).toString('base64');
      return v;
    },
    2,
  );
}

const MARK: Record<CheckOutcome['status'], string> = {
  pass: 'pass        ',
  fail: 'FAIL        ',
  'not-checked': 'not checked ',
};

function formatChecks(checks: CheckOutcome<string>[]): string {
  const width = Math.max(...checks.map((c) => c.check.length));
  return checks.map((c) => `  ${MARK[c.status]}${c.check.padEnd(width)}  ${c.detail}\n`).join('');
}

const SEX: Record<string, string> = { '1': '男 / male', '2': '女 / female', '9': '適用不能 / not applicable' };

function formatSigner(s: SignerSummary | undefined, signingTime: string | undefined): string {
  if (!s) return '';
  const lines = [
    '署名者 / signer:',
    `  subject      ${s.subject}`,
    `  issuer       ${s.issuer}`,
    `  serial       ${s.serialNumber}`,
    `  valid        ${s.notBefore} – ${s.notAfter}`,
  ];
  if (s.name !== undefined) lines.push(`  氏名 name    ${s.name}`);
  if (s.birthDate !== undefined) {
    lines.push(`  生年月日     ${s.birthDate} (${ERA_NAMES[s.birthEra ?? -1] ?? '?'} / era ${s.birthEra})`);
  }
  if (s.sex !== undefined) lines.push(`  性別 sex     ${SEX[s.sex] ?? s.sex}`);
  if (s.address !== undefined) lines.push(`  住所 address ${s.address}`);
  if (signingTime) lines.push(`署名時刻 / signing time (claimed by the signer): ${signingTime}`);
  return `${lines.join('\n')}\n`;
}

export async function verifyMain(argv: string[], io: VerifyIo = defaultIo): Promise<number> {
  let json = false;
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ca: { type: 'string', multiple: true },
        crl: { type: 'string', multiple: true },
        content: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    json = Boolean(values.json);
    if (values.help) {
      io.out(VERIFY_HELP);
      return VERIFY_EXIT.VALID;
    }
    const [cmd, file, ...extra] = positionals;
    if (cmd !== 'verify' && cmd !== 'verify-application') throw new UsageError('expected verify or verify-application');
    if (!file) throw new UsageError(`${cmd} needs a file`);
    if (extra.length > 0) throw new UsageError(`unexpected argument ${extra[0]}`);
    if (cmd === 'verify-application' && values.content) throw new UsageError('--content is only for verify');
    const read =
      io.readFile ??
      ((p: string) => {
        try {
          return new Uint8Array(readFileSync(p));
        } catch (e) {
          throw new UsageError(`cannot read ${p}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
        }
      });
    const demo = demoSignTrust();
    const trustAnchors = values.ca ? loadCertificates(values.ca) : demo.trustAnchors;
    const crls = values.crl ? loadCrls(values.crl) : values.ca ? [] : demo.crls;
    const now = io.now?.() ?? new Date();
    const input = read(file);

    if (cmd === 'verify') {
      const opts: Parameters<typeof verifyCms>[1] = { trustAnchors, crls, now };
      if (values.content) opts.content = read(values.content);
      const r = await verifyCms(input, opts);
      if (json) io.out(`${toJson(r)}\n`);
      else {
        io.out(
          `${r.valid ? '署名は有効です / signature VALID' : '署名は無効です / signature NOT VALID'}: ${file}\n${formatChecks(r.checks)}${formatSigner(r.signer, r.signingTime)}`,
        );
        for (const f of r.failures) io.out(`  ✗ [${f.check}] ${f.messageJa}\n`);
      }
      return r.valid ? VERIFY_EXIT.VALID : VERIFY_EXIT.INVALID;
    }

    const r = await verifyApplicationPackage(input, { trustAnchors, crls, now });
    if (json) io.out(`${toJson(r)}\n`);
    else {
      let text = `${r.valid ? '申請パッケージは有効です / package VALID' : '申請パッケージは無効です / package NOT VALID'}: ${file}\n`;
      text += formatChecks(r.checks);
      if (r.manifest) {
        text += `手続 / procedure: ${r.manifest.procedure.id}   団体コード / municipality: ${r.manifest.municipality.code}\n`;
      }
      if (r.attachments?.length) {
        text += '添付 / attachments:\n';
        for (const a of r.attachments)
          text += `  ${a.name}  ${a.mediaType ?? '?'}  ${a.size} bytes  sha256 ${a.sha256}\n`;
      }
      text += formatSigner(r.signer, r.signingTime);
      for (const f of r.failures) text += `  ✗ [${f.check}] ${f.messageJa}\n`;
      io.out(text);
    }
    return r.valid ? VERIFY_EXIT.VALID : VERIFY_EXIT.INVALID;
  } catch (e) {
    if (
      e instanceof UsageError ||
      e instanceof TrustLoadError ||
      (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      if (json) io.out(`${toJson({ error: { code: 'USAGE', message: (e as Error).message } })}\n`);
      else io.err(`myna: ${(e as Error).message} (see myna verify --help)\n`);
      return VERIFY_EXIT.USAGE;
    }
    if (json) io.out(`${toJson({ error: { code: 'INTERNAL', message: String(e) } })}\n`);
    else io.err(`myna: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return VERIFY_EXIT.INTERNAL;
  }
}

/**
 * `myna sign` and `myna sign-application` (bin/myna.js routes both here): the signing service
 * on the command line, with the conventions of native/cli — PINs from a no-echo prompt or
 * --pin-stdin, never argv; tries left shown first; typed errors in two languages; exit codes.
 * Nothing is written unless everything succeeded (atomic-write.ts).
 */
import { createHash, X509Certificate } from 'node:crypto';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CardError } from '../../../native/apdu/errors.ts';
import { type CardAccess, type CardAccessOptions, openCardAccess } from '../../../native/cli/card-access.ts';
import { EXIT, exitCodeFor } from '../../../native/cli/exit-codes.ts';
import { PIN_PROMPT } from '../../../native/cli/pin-prompts.ts';
import { type SecretSource, stdinSecrets, ttyPrompt, UsageError } from '../../../native/cli/secret-input.ts';
import { MynaCard } from '../../../native/myna-card.ts';
import { type ApplicationSummary, prepareApplication } from '../services/signing/manifest.ts';
import { PACKAGE_MEDIA_TYPE } from '../services/signing/package-limits.ts';
import { signApplication } from '../services/signing/sign-application.ts';
import {
  ATTACHED_CONTENT_LIMIT,
  type FileSignature,
  signContent,
  signDigest,
} from '../services/signing/sign-detached.ts';
import { SigningError } from '../services/signing/signing-error.ts';
import { assertWritableTarget, writeFileAtomic } from './atomic-write.ts';
import { loadDraftFile } from './draft-file.ts';
import { SIGN_HELP } from './sign-help.ts';

/** Same shape as native/cli's CliIo. */
export interface SignCliIo {
  out: (s: string) => void;
  err: (s: string) => void;
  secrets?: SecretSource;
  /** Overrides how a card is opened (tests). */
  open?: (o: CardAccessOptions) => Promise<CardAccess>;
  /** Overrides the signing time (tests). */
  now?: () => Date;
}

/** Exit code for a refused draft or input (SigningError other than SELF_CHECK_FAILED). */
export const EXIT_SIGNING_INPUT = 8;

const defaultIo: SignCliIo = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
};

export async function signMain(argv: string[], io: SignCliIo = defaultIo): Promise<number> {
  let json = false;
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        in: { type: 'string' },
        out: { type: 'string' },
        attached: { type: 'boolean' },
        draft: { type: 'string' },
        reader: { type: 'string' },
        emulator: { type: 'boolean' },
        resident: { type: 'string' },
        json: { type: 'boolean' },
        'pin-stdin': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    json = Boolean(values.json);
    const [cmd, ...rest] = positionals;
    if (values.help) {
      io.out(SIGN_HELP);
      return EXIT.OK;
    }
    if (cmd !== 'sign' && cmd !== 'sign-application') {
      io.out(SIGN_HELP);
      return EXIT.USAGE;
    }
    if (rest.length) throw new UsageError(`unexpected argument "${rest[0]}"`);
    const ctx: Context = {
      io,
      json,
      secrets: io.secrets ?? (values['pin-stdin'] ? stdinSecrets() : ttyPrompt()),
      access: {
        reader: values.reader,
        emulator: values.emulator || values.resident !== undefined ? (values.resident ?? 'resident-01') : undefined,
      },
      now: io.now ?? (() => new Date()),
    };
    if (!values.out) throw new UsageError(`myna ${cmd}: --out FILE is required`);
    if (cmd === 'sign') {
      if (values.draft) throw new UsageError('--draft belongs to sign-application');
      if (!values.in) throw new UsageError('myna sign: --in FILE is required');
      return await signFile(ctx, values.in, values.out, Boolean(values.attached));
    }
    if (values.in || values.attached) throw new UsageError('--in/--attached belong to myna sign');
    if (!values.draft) throw new UsageError('myna sign-application: --draft DRAFT.json is required');
    return await signApplicationFile(ctx, values.draft, values.out);
  } catch (e) {
    return reportError(e, json, io);
  }
}

interface Context {
  io: SignCliIo;
  json: boolean;
  secrets: SecretSource;
  access: CardAccessOptions;
  now: () => Date;
}

async function withCard<T>(ctx: Context, fn: (card: MynaCard) => Promise<T>): Promise<T> {
  const access = await (ctx.io.open ?? openCardAccess)(ctx.access);
  try {
    return await fn(new MynaCard(access.transport));
  } finally {
    await access.close();
  }
}

/** Tries left before the password is asked for (DESIGN §5): blocked is refused, one left warned. */
async function askPassword(ctx: Context, card: MynaCard): Promise<string> {
  const st = await card.pinStatus('sign');
  if (st.state === 'blocked') throw new CardError('PIN_BLOCKED', { pin: 'sign', remaining: 0 });
  ctx.io.err(`署名用パスワードの残り回数 / tries left: ${st.remaining}/${st.max}\n`);
  if (st.state === 'one-left') {
    ctx.io.err(
      '警告: 残り1回です。間違えるとロックされ、市区町村の窓口での手続きが必要になります。\nWARNING: ONE try left; a mistake locks the password.\n',
    );
  }
  return ctx.secrets.next(PIN_PROMPT.sign);
}

function sameFile(a: string, b: string): boolean {
  if (resolve(a) === resolve(b)) return true;
  try {
    const sa = statSync(a);
    const sb = statSync(b);
    return sa.ino === sb.ino && sa.dev === sb.dev;
  } catch {
    return false;
  }
}

async function sha256File(path: string): Promise<Uint8Array> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return new Uint8Array(h.digest());
}

async function signFile(ctx: Context, input: string, out: string, attached: boolean): Promise<number> {
  let size: number;
  try {
    const st = statSync(input);
    if (!st.isFile()) throw new UsageError(`--in is not a regular file: ${input}`);
    size = st.size;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`ファイルを読めません / cannot read ${input}`);
  }
  if (sameFile(input, out)) throw new UsageError('--out must not be the input file');
  if (attached && size > ATTACHED_CONTENT_LIMIT) {
    throw new SigningError('CONTENT_TOO_LARGE', { field: '--in', limit: ATTACHED_CONTENT_LIMIT, actual: size });
  }
  assertWritableTarget(out);
  // In memory up to the attached limit (the self-check can then re-verify with the content);
  // larger files are hashed as a stream and signed by digest (detached only).
  let content: Uint8Array | undefined;
  let digest: Uint8Array;
  try {
    if (size <= ATTACHED_CONTENT_LIMIT) {
      content = new Uint8Array(readFileSync(input));
      digest = new Uint8Array(createHash('sha256').update(content).digest());
    } else {
      digest = await sha256File(input);
    }
  } catch {
    throw new UsageError(`ファイルを読めません / cannot read ${input}`);
  }
  const digestHex = Buffer.from(digest).toString('hex');
  const sig: FileSignature = await withCard(ctx, async (card) => {
    ctx.io.err(
      `署名するファイル / file to sign: ${input}\n  ${content?.length ?? size} bytes, SHA-256 ${digestHex}\n  ${attached ? '内容を含める / attached' : '分離署名 / detached'}\n`,
    );
    const password = await askPassword(ctx, card);
    const opts = { now: ctx.now() };
    return content
      ? signContent(card, content, password, { ...opts, attached })
      : signDigest(card, digest, password, opts);
  });
  writeFileAtomic(out, sig.cms);
  const result = {
    out,
    bytes: sig.cms.length,
    attached: sig.attached,
    contentSha256: digestHex,
    signingTime: sig.signingTime.toISOString(),
    signer: signerOf(sig.signerCertificate),
  };
  if (ctx.json) ctx.io.out(`${JSON.stringify(result, null, 2)}\n`);
  else
    ctx.io.out(`署名しました / signed: ${out} (${result.bytes} bytes, ${result.attached ? 'attached' : 'detached'})\n`);
  return EXIT.OK;
}

async function signApplicationFile(ctx: Context, draftPath: string, out: string): Promise<number> {
  if (sameFile(draftPath, out)) throw new UsageError('--out must not be the draft file');
  const draft = loadDraftFile(draftPath);
  const prepared = prepareApplication(draft);
  assertWritableTarget(out);
  const signed = await withCard(ctx, async (card) => {
    ctx.io.err(summaryText(prepared.summary));
    const password = await askPassword(ctx, card);
    return signApplication(card, prepared, password, { now: ctx.now() });
  });
  writeFileAtomic(out, signed.packageBytes);
  const result = {
    out,
    bytes: signed.packageBytes.length,
    mediaType: PACKAGE_MEDIA_TYPE,
    packageSha256: createHash('sha256').update(signed.packageBytes).digest('hex'),
    signingTime: signed.signingTime.toISOString(),
    signer: signerOf(signed.signerCertificate),
    selfCheck: signed.selfCheck,
    summary: signed.summary,
  };
  if (ctx.json) ctx.io.out(`${JSON.stringify(result, null, 2)}\n`);
  else {
    ctx.io.out(
      `署名しました / signed: ${out} (${result.bytes} bytes)\n自己検証 / self-check: OK (${signed.selfCheck.length} checks; this is not certificate validation)\n`,
    );
  }
  return EXIT.OK;
}

function size(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}

export function summaryText(s: ApplicationSummary): string {
  const lines = [
    '署名する申請 / application to sign:',
    `  手続き / procedure:        ${s.procedureId}`,
    `  市区町村 / municipality:   ${s.municipalityCode}`,
  ];
  if (s.applicant) {
    lines.push(
      `  申請者 / applicant:        ${Object.entries(s.applicant)
        .map(([k, v]) => `${k}: ${v}`)
        .join(', ')}`,
    );
  }
  if (s.attachments.length === 0) lines.push('  添付 / attachments:        (なし / none)');
  s.attachments.forEach((a, i) => {
    lines.push(
      `  ${i === 0 ? '添付 / attachments:       ' : '                          '} ${a.name} (${size(a.size)}, ${a.mediaType})`,
    );
  });
  lines.push(`  指紋 / fingerprint:        ${s.fingerprint}`);
  lines.push('                             (SHA-256 of manifest.json, which lists every attachment’s SHA-256)');
  return `${lines.join('\n')}\n`;
}

function signerOf(der: Uint8Array): { subject: string; issuer: string; serialNumber: string; notAfter: string } {
  const c = new X509Certificate(der);
  return {
    subject: c.subject.split('\n').join(', '),
    issuer: c.issuer.split('\n').join(', '),
    serialNumber: c.serialNumber,
    notAfter: new Date(c.validTo).toISOString(),
  };
}

function reportError(e: unknown, json: boolean, io: SignCliIo): number {
  if (e instanceof CardError || e instanceof SigningError) {
    if (json) io.out(`${JSON.stringify({ error: e.toJSON() }, null, 2)}\n`);
    io.err(`エラー: ${e.messageJa}\nerror [${e.code}]: ${e.messageEn}\n`);
    if (e instanceof CardError) return exitCodeFor(e.code);
    return e.code === 'SELF_CHECK_FAILED' ? EXIT.CARD : EXIT_SIGNING_INPUT;
  }
  if (
    e instanceof UsageError ||
    (e instanceof TypeError && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS'))
  ) {
    if (json) io.out(`${JSON.stringify({ error: { code: 'USAGE', message: (e as Error).message } })}\n`);
    io.err(`${(e as Error).message}\n(myna sign --help)\n`);
    return EXIT.USAGE;
  }
  if (json) io.out(`${JSON.stringify({ error: { code: 'INTERNAL', message: 'internal error' } })}\n`);
  io.err(`internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  return EXIT.INTERNAL;
}

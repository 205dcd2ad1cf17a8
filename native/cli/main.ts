/**
 * `myna`: diagnostics and card tasks for residents, support staff and scripts. Each command
 * is a small function over a MynaCard; the plumbing (arguments, output, exit codes) is here.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CardError, type PinKind } from '../apdu/errors.ts';
import { MynaCard } from '../myna-card.ts';
import { type CardAccess, type CardAccessOptions, listReadersForCli, openCardAccess } from './card-access.ts';
import { EXIT, exitCodeFor } from './exit-codes.ts';
import { HELP } from './help.ts';
import { PIN_PROMPT } from './pin-prompts.ts';
import { type SecretSource, stdinSecrets, ttyPrompt, UsageError } from './secret-input.ts';
import { runSelftest } from './selftest.ts';

export interface CliIo {
  out: (s: string) => void;
  err: (s: string) => void;
  secrets?: SecretSource;
  /** Overrides how a card is opened (tests). */
  open?: (o: CardAccessOptions) => Promise<CardAccess>;
}

const defaultIo: CliIo = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
};

const CERT_KINDS = ['auth', 'sign', 'auth-ca', 'sign-ca'] as const;
const PIN_KINDS = ['auth', 'sign', 'kenhojo'] as const;

export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  let json = false;
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        reader: { type: 'string' },
        emulator: { type: 'boolean' },
        resident: { type: 'string' },
        json: { type: 'boolean' },
        'pin-stdin': { type: 'boolean' },
        pem: { type: 'boolean' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    json = Boolean(values.json);
    const [cmd, ...rest] = positionals;
    if (values.help || !cmd) {
      io.out(HELP);
      return values.help ? EXIT.OK : EXIT.USAGE;
    }
    const secrets = io.secrets ?? (values['pin-stdin'] ? stdinSecrets() : ttyPrompt());
    const accessOpts: CardAccessOptions = {
      reader: values.reader,
      emulator: values.emulator || values.resident !== undefined ? (values.resident ?? 'resident-01') : undefined,
    };
    const open = io.open ?? openCardAccess;
    const print = (human: string, data: unknown) => io.out(json ? `${JSON.stringify(data, null, 2)}\n` : human);

    if (cmd === 'readers') {
      const readers = await listReadersForCli();
      print(
        readers.length === 0
          ? 'リーダが見つかりません / no readers\n'
          : readers.map((r) => `${r.name}\t${r.cardPresent ? `card ${r.atr}` : 'empty'}\n`).join(''),
        { readers },
      );
      return EXIT.OK;
    }
    if (cmd === 'selftest') {
      const report = await runSelftest(accessOpts, open);
      print(report.text, report);
      return report.exitCode;
    }

    const sub = rest[0];
    const run = async <T>(fn: (card: MynaCard, access: CardAccess) => Promise<T>): Promise<T> => {
      const access = await open(accessOpts);
      try {
        return await fn(new MynaCard(access.transport), access);
      } finally {
        await access.close();
      }
    };

    switch (cmd) {
      case 'status': {
        const r = await run(async (card, access) => {
          const identity = await card.identify();
          return {
            reader: access.readerName,
            // after the first operation: the PC/SC monitor has reported the card by then
            atr: Buffer.from(access.transport.atr()).toString('hex').toUpperCase(),
            card: identity,
            pins: await card.pinStatuses(),
          };
        });
        print(
          `reader: ${r.reader}\nATR:    ${r.atr}\ncard:   ${r.card.kind} (${r.card.token})\n${pinLines(r.pins)}`,
          r,
        );
        return EXIT.OK;
      }
      case 'cert': {
        const kind = oneOf(sub, CERT_KINDS, 'myna cert <auth|sign|auth-ca|sign-ca>');
        const der = await run(async (card) => {
          if (kind !== 'sign') return card.readCertificate(kind);
          await refuseIfBlocked(card, 'sign');
          return card.readSignCertificate(await secrets.next(PIN_PROMPT.sign));
        });
        const pem = toPem(der);
        if (values.out) {
          writeFileSync(values.out, values.pem ? pem : der);
          print(`wrote ${der.length} bytes (${values.pem ? 'PEM' : 'DER'}) to ${values.out}\n`, {
            out: values.out,
            bytes: der.length,
          });
        } else if (json) {
          print('', { kind, der: Buffer.from(der).toString('base64') });
        } else if (values.pem) {
          io.out(pem);
        } else {
          throw new UsageError('DER is binary: use --pem, --out FILE or --json');
        }
        return EXIT.OK;
      }
      case 'pin': {
        if (sub === 'status') {
          const pins = await run((card) => card.pinStatuses());
          print(pinLines(pins), { pins });
          return EXIT.OK;
        }
        if (sub === 'change') {
          const pin = oneOf(rest[1], PIN_KINDS, 'myna pin change <auth|sign|kenhojo>');
          await run(async (card) => {
            await refuseIfBlocked(card, pin);
            const current = await secrets.next(`現在の${PIN_PROMPT[pin]}`);
            const next = await secrets.next(`新しい${PIN_PROMPT[pin]}`);
            if (!io.secrets && !values['pin-stdin']) {
              const again = await secrets.next('もう一度 / again');
              if (again !== next) throw new UsageError('新しい暗証番号が一致しません / the new PINs do not match');
            }
            await card.changePin(pin, current, next);
          });
          print('変更しました / changed\n', { changed: pin });
          return EXIT.OK;
        }
        throw new UsageError('myna pin <status|change>');
      }
      case 'basic-info': {
        const info = await run(async (card) => {
          await refuseIfBlocked(card, 'kenhojo');
          return card.readBasicInfo(await secrets.next(PIN_PROMPT.kenhojo));
        });
        print(
          `氏名 name:        ${info.name}\n住所 address:     ${info.address}\n生年月日 birth:   ${info.birthDate}\n性別 sex:         ${info.sex}\n`,
          info,
        );
        return EXIT.OK;
      }
      default:
        throw new UsageError(`unknown command "${cmd}"`);
    }
  } catch (e) {
    return reportError(e, json, io);
  }
}

/** Shows tries left first (DESIGN §5): a blocked PIN is refused before the resident types it. */
async function refuseIfBlocked(card: MynaCard, pin: PinKind): Promise<void> {
  const st = await card.pinStatus(pin);
  if (st.state === 'blocked') throw new CardError('PIN_BLOCKED', { pin, remaining: 0 });
  if (st.state === 'one-left') {
    process.stderr.write(
      `警告: ${PIN_PROMPT[pin]} は残り1回です。間違えるとロックされます。\nWARNING: one try left; a mistake locks it.\n`,
    );
  }
}

function pinLines(pins: { pin: PinKind; remaining: number; max: number; state: string }[]): string {
  const label: Record<string, string> = {
    ok: '',
    'one-left': '  ← 残り1回 / ONE TRY LEFT',
    blocked: '  ← ロック中 / BLOCKED',
  };
  return pins.map((p) => `${p.pin.padEnd(8)} ${p.remaining}/${p.max}${label[p.state] ?? ''}\n`).join('');
}

function oneOf<T extends string>(v: string | undefined, allowed: readonly T[], usage: string): T {
  if (v && (allowed as readonly string[]).includes(v)) return v as T;
  throw new UsageError(`usage: ${usage}`);
}

export function toPem(der: Uint8Array): string {
  const b64 = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n');
  return `-----BEGIN CERTIFICATE-----\n${b64}${b64.endsWith('\n') ? '' : '\n'}-----END CERTIFICATE-----\n`;
}

function reportError(e: unknown, json: boolean, io: CliIo): number {
  if (e instanceof CardError) {
    if (json) io.out(`${JSON.stringify({ error: e.toJSON() }, null, 2)}\n`);
    io.err(`エラー: ${e.messageJa}\nerror [${e.code}]: ${e.messageEn}\n`);
    return exitCodeFor(e.code);
  }
  if (
    e instanceof UsageError ||
    (e instanceof TypeError && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS'))
  ) {
    if (json) io.out(`${JSON.stringify({ error: { code: 'USAGE', message: (e as Error).message } })}\n`);
    io.err(`${(e as Error).message}\n(myna --help)\n`);
    return EXIT.USAGE;
  }
  io.err(`internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  return EXIT.INTERNAL;
}

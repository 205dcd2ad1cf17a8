/**
 * `myna selftest`: the questions support staff ask first, in order, each answered with what to
 * do when the answer is no. Stops at the first failure that makes later steps meaningless.
 */
import { X509Certificate } from 'node:crypto';
import { CardError, messagesFor } from '../apdu/errors.ts';
import { MynaCard } from '../myna-card.ts';
import type { CardAccess, CardAccessOptions, ReaderInfo } from './card-access.ts';
import { listReadersForCli } from './card-access.ts';
import { EXIT, exitCodeFor } from './exit-codes.ts';

export type StepStatus = 'pass' | 'warn' | 'fail' | 'skip';

export interface SelftestStep {
  step: string;
  status: StepStatus;
  detail: string;
  remedy?: { ja: string; en: string };
}

export interface SelftestReport {
  steps: SelftestStep[];
  exitCode: number;
  text: string;
}

export async function runSelftest(
  opts: CardAccessOptions,
  open: (o: CardAccessOptions) => Promise<CardAccess>,
  listReaders: () => Promise<ReaderInfo[]> = listReadersForCli,
  now: Date = new Date(),
): Promise<SelftestReport> {
  const steps: SelftestStep[] = [];
  const add = (s: SelftestStep) => steps.push(s);
  let exitCode: number = EXIT.OK;
  const fail = (step: string, e: unknown): void => {
    if (e instanceof CardError) {
      add({ step, status: 'fail', detail: e.code, remedy: { ja: e.messageJa, en: e.messageEn } });
      exitCode = exitCodeFor(e.code);
    } else {
      add({ step, status: 'fail', detail: e instanceof Error ? e.message : String(e) });
      exitCode = EXIT.INTERNAL;
    }
  };

  if (opts.emulator) {
    add({ step: 'pcsc-service', status: 'skip', detail: `in-process emulator (${opts.emulator})` });
  } else {
    let readers: ReaderInfo[];
    try {
      readers = await listReaders();
      add({ step: 'pcsc-service', status: 'pass', detail: 'PC/SC service answers' });
    } catch (e) {
      fail('pcsc-service', e);
      return finish(steps, exitCode);
    }
    const wanted = opts.reader ? readers.filter((r) => r.name === opts.reader) : readers;
    if (wanted.length === 0) {
      fail('readers', new CardError('NO_READER', opts.reader ? { reader: opts.reader } : {}));
      return finish(steps, exitCode);
    }
    add({ step: 'readers', status: 'pass', detail: wanted.map((r) => r.name).join(', ') });
    const withCard = wanted.filter((r) => r.cardPresent);
    if (withCard.length === 0) {
      fail('card-present', new CardError('NO_CARD'));
      return finish(steps, exitCode);
    }
    add({ step: 'card-present', status: 'pass', detail: `${withCard[0]!.name}: ATR ${withCard[0]!.atr}` });
  }

  let access: CardAccess;
  try {
    access = await open(opts);
  } catch (e) {
    fail('connect', e);
    return finish(steps, exitCode);
  }
  try {
    const card = new MynaCard(access.transport);
    try {
      const id = await card.identify();
      add({ step: 'jpki-ap', status: 'pass', detail: `${id.kind} (${id.token}) in ${access.readerName}` });
    } catch (e) {
      fail('jpki-ap', e);
      return finish(steps, exitCode);
    }
    try {
      for (const st of await card.pinStatuses()) {
        const detail = `${st.pin}: ${st.remaining}/${st.max}`;
        if (st.state === 'ok') add({ step: `pin-${st.pin}`, status: 'pass', detail });
        else if (st.state === 'one-left') {
          add({
            step: `pin-${st.pin}`,
            status: 'warn',
            detail,
            remedy: messagesFor('PIN_INCORRECT', { pin: st.pin, remaining: 1 }),
          });
        } else {
          add({ step: `pin-${st.pin}`, status: 'fail', detail, remedy: messagesFor('PIN_BLOCKED', { pin: st.pin }) });
          if (exitCode === EXIT.OK) exitCode = EXIT.PIN_BLOCKED;
        }
      }
    } catch (e) {
      fail('pins', e);
    }
    try {
      const der = await card.readCertificate('auth');
      const cert = new X509Certificate(Buffer.from(der));
      const until = new Date(cert.validTo);
      if (until < now) {
        add({
          step: 'auth-certificate',
          status: 'warn',
          detail: `expired ${until.toISOString().slice(0, 10)}`,
          remedy: {
            ja: '利用者証明用電子証明書の有効期限が切れています。市区町村の窓口で更新してください。',
            en: 'The user-authentication certificate has expired. Renew it at your municipal office.',
          },
        });
      } else
        add({ step: 'auth-certificate', status: 'pass', detail: `valid until ${until.toISOString().slice(0, 10)}` });
    } catch (e) {
      fail(
        'auth-certificate',
        e instanceof CardError ? e : new CardError('MALFORMED_RESPONSE', { operation: 'auth certificate' }),
      );
    }
  } finally {
    await access.close();
  }
  return finish(steps, exitCode);
}

const MARK: Record<StepStatus, string> = { pass: 'OK  ', warn: 'WARN', fail: 'FAIL', skip: 'SKIP' };

function finish(steps: SelftestStep[], exitCode: number): SelftestReport {
  const text = steps
    .map((s) => {
      const head = `[${MARK[s.status]}] ${s.step}: ${s.detail}\n`;
      return s.remedy ? `${head}       ${s.remedy.ja}\n       ${s.remedy.en}\n` : head;
    })
    .join('');
  const summary = exitCode === EXIT.OK ? 'selftest passed\n' : 'selftest found a problem (see above)\n';
  return { steps, exitCode, text: text + summary };
}

/**
 * The consent window: what main is about to do (computed by main), which PIN, tries left
 * BEFORE the first attempt, the PIN entry, cancel. A wrong PIN is never retried: the resident
 * sees the new count and decides. The field is cleared the moment the PIN is sent.
 */
import { type FormEvent, type Ref, useEffect, useRef, useState } from 'react';
import type { ConsentApi } from '../../../electron/ipc/bridge.ts';
import type { ConsentView, PinKind } from '../../../electron/ipc/contract.ts';
import { call, type UiError } from '../shared/errors.ts';
import { type Lang, LangProvider, other, useT } from '../shared/i18n.tsx';
import {
  BLOCKED_RECOVERY,
  isDigitsPin,
  maxLength,
  normalisePin,
  PIN_NAMES,
  PIN_RULES,
  pinFormatOk,
} from '../shared/pins.ts';
import { ErrorNotice, Progress } from '../shared/ui.tsx';
import { PinPad } from './PinPad.tsx';
import { Purpose, purposeTitle } from './Purpose.tsx';

type Field = 'pin' | 'newPin' | 'confirm';

/** submitPin answered accepted: false (the request is busy with the card, or already over). */
const NOT_ACCEPTED: UiError = {
  code: 'CONSENT_NOT_ACCEPTED',
  message: {
    ja: '暗証番号を受け付けられませんでした。表示が変わるまでお待ちいただき、もう一度入力してください。',
    en: 'The PIN was not accepted. Wait until the window updates, then enter it again.',
  },
};
type Phase = 'loading' | 'idle' | 'view' | 'cancelled';

function PinField({
  id,
  label,
  kind,
  value,
  disabled,
  onChange,
  onFocus,
  inputRef,
}: {
  id: string;
  label: string;
  kind: PinKind;
  value: string;
  disabled: boolean;
  onChange(v: string): void;
  onFocus(): void;
  inputRef?: Ref<HTMLInputElement>;
}) {
  return (
    <div className="pin-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        ref={inputRef}
        data-testid={id}
        type="password"
        inputMode={isDigitsPin(kind) ? 'numeric' : 'text'}
        autoComplete="off"
        autoCapitalize="characters"
        spellCheck={false}
        maxLength={maxLength(kind)}
        value={value}
        disabled={disabled}
        onFocus={onFocus}
        onChange={(e) => onChange(normalisePin(kind, e.target.value).slice(0, maxLength(kind)))}
      />
    </div>
  );
}

function Consent({ api, view, onCancelled }: { api: ConsentApi; view: ConsentView; onCancelled(): void }) {
  const t = useT();
  const kind = view.pin;
  const changing = view.purpose.kind === 'change-pin';
  const [values, setValues] = useState<Record<Field, string>>({ pin: '', newPin: '', confirm: '' });
  const [active, setActive] = useState<Field>('pin');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<UiError>();
  const [padOpen, setPadOpen] = useState(() => view.kiosk || new URLSearchParams(window.location.search).has('kiosk'));
  const firstField = useRef<HTMLInputElement>(null);
  const blocked = view.state === 'blocked' || view.remaining === 0;
  const working = sending || view.state === 'working';

  // biome-ignore lint/correctness/useExhaustiveDependencies: refocus after each update of the view
  useEffect(() => {
    if (!working && !blocked) firstField.current?.focus();
  }, [view, working, blocked]);

  const set = (f: Field, v: string) => setValues((old) => ({ ...old, [f]: v }));
  const pinOk = pinFormatOk(kind, values.pin);
  const newOk = !changing || (pinFormatOk(kind, values.newPin) && values.newPin === values.confirm);
  const mismatch = changing && values.confirm.length > 0 && values.newPin !== values.confirm;

  async function submit(e?: FormEvent) {
    e?.preventDefault();
    if (!pinOk || !newOk || working || blocked) return;
    const request = changing
      ? { id: view.id, pin: values.pin, newPin: values.newPin }
      : { id: view.id, pin: values.pin };
    // Clear the fields before anything else: the PIN lives on in `request` only until sent.
    setValues({ pin: '', newPin: '', confirm: '' });
    setActive('pin');
    setError(undefined);
    setSending(true);
    const r = await call(() => api.submitPin(request));
    setSending(false);
    if (!r.ok) setError(r.error);
    else if (!r.value.accepted) setError(NOT_ACCEPTED);
  }

  async function cancel() {
    setError(undefined);
    const r = await call(() => api.cancelConsent({ id: view.id }));
    if (r.ok) onCancelled();
    else setError(r.error);
  }

  // Escape cancels, as in any dialog (not while the card is working).
  // biome-ignore lint/correctness/useExhaustiveDependencies: cancel reads the latest props
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !sending) void cancel();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [sending]);

  const pad = {
    onKey: (k: string) => set(active, (values[active] + k).slice(0, maxLength(kind))),
    onBackspace: () => set(active, values[active].slice(0, -1)),
    onClear: () => set(active, ''),
  };

  return (
    <main className="consent" data-testid="consent" data-state={view.state} data-kind={view.purpose.kind}>
      <h1>{t(purposeTitle(view.purpose))}</h1>
      {view.demo && (
        <p className="badge badge-demo consent-demo" data-testid="consent-demo">
          {t({ ja: 'デモカード（本物のカードではありません）', en: 'Demo card (not a real card)' })}
        </p>
      )}
      <Purpose purpose={view.purpose} />

      <section className="pin-section" aria-labelledby="pin-title">
        <h2 id="pin-title">
          {t(PIN_NAMES[kind])} <span className="muted">（{t(PIN_RULES[kind])}）</span>
        </h2>
        <p
          className={`tries ${view.remaining === 1 ? 'tries-last' : ''}`}
          data-testid="consent-remaining"
          data-remaining={view.remaining}
        >
          {blocked
            ? t({ ja: 'ロックされています', en: 'Locked' })
            : t({
                ja: `残り ${view.remaining} 回（${view.max} 回中）`,
                en: `${view.remaining} of ${view.max} tries left`,
              })}
        </p>
        {view.state === 'wrong-pin' && !blocked && (
          <div className="notice notice-error" role="alert" data-testid="consent-wrong">
            <p className="notice-message">
              {view.message
                ? t(view.message)
                : t({
                    ja: `暗証番号が違います。残り${view.remaining}回です。`,
                    en: `Wrong PIN. ${view.remaining} tries left.`,
                  })}
            </p>
            <p className="notice-remedy">
              {t({
                ja: '入力し直すか、分からない場合は「やめる」を押してください。自動で再試行はしません。',
                en: 'Type it again, or press Cancel if you are not sure. Nothing is retried automatically.',
              })}
            </p>
          </div>
        )}
        {view.state === 'format' && view.message && (
          <div className="notice notice-error" role="alert" data-testid="consent-format">
            <p className="notice-message">{t(view.message)}</p>
          </div>
        )}
        {view.remaining === 1 && !blocked && (
          <div className="notice notice-danger" role="alert" data-testid="consent-last-try">
            <p className="notice-message">
              {t({
                ja: '残り1回です。次に間違えるとロックされ、市区町村の窓口での手続きが必要になります。',
                en: 'ONE try left. One more mistake locks it, and only your municipal office can unlock it.',
              })}
            </p>
            <p className="notice-remedy">
              {t({
                ja: '確かでない場合は入力せずに「やめる」を押し、暗証番号を確認してください。',
                en: 'If you are not sure, press Cancel and find out the PIN first.',
              })}
            </p>
          </div>
        )}
        {blocked ? (
          <div className="notice notice-danger" role="alert" data-testid="consent-blocked">
            <p className="notice-message">
              {view.message
                ? t(view.message)
                : t({
                    ja: `${PIN_NAMES[kind].ja}はロックされています。カードには何も送信していません。`,
                    en: `The ${PIN_NAMES[kind].en} is locked. Nothing was sent to the card.`,
                  })}
            </p>
            <p className="notice-remedy">{t(BLOCKED_RECOVERY)}</p>
          </div>
        ) : (
          <form onSubmit={(e) => void submit(e)} autoComplete="off">
            <PinField
              id="pin"
              inputRef={firstField}
              label={changing ? t({ ja: '現在の暗証番号', en: 'Current PIN' }) : t(PIN_NAMES[kind])}
              kind={kind}
              value={values.pin}
              disabled={working}
              onChange={(v) => set('pin', v)}
              onFocus={() => setActive('pin')}
            />
            {changing && (
              <>
                <PinField
                  id="new-pin"
                  label={t({ ja: '新しい暗証番号', en: 'New PIN' })}
                  kind={kind}
                  value={values.newPin}
                  disabled={working}
                  onChange={(v) => set('newPin', v)}
                  onFocus={() => setActive('newPin')}
                />
                <PinField
                  id="confirm-pin"
                  label={t({ ja: '新しい暗証番号（確認）', en: 'New PIN again' })}
                  kind={kind}
                  value={values.confirm}
                  disabled={working}
                  onChange={(v) => set('confirm', v)}
                  onFocus={() => setActive('confirm')}
                />
                {mismatch && (
                  <p className="field-error" role="alert">
                    {t({ ja: '新しい暗証番号が一致しません。', en: 'The new PINs do not match.' })}
                  </p>
                )}
              </>
            )}
            <div className="consent-actions">
              <button
                type="submit"
                className="button-primary"
                disabled={!pinOk || !newOk || working}
                data-testid="consent-submit"
              >
                {t({ ja: '確定', en: 'Confirm' })}
              </button>
              <button type="button" className="button-secondary" onClick={() => setPadOpen((o) => !o)}>
                {padOpen
                  ? t({ ja: 'キーパッドを閉じる', en: 'Hide keypad' })
                  : t({ ja: '画面のキーパッド', en: 'On-screen keypad' })}
              </button>
            </div>
            {padOpen && <PinPad alphanumeric={!isDigitsPin(kind)} disabled={working} {...pad} />}
          </form>
        )}
        {working && (
          <Progress
            label={t({
              ja: 'カードと通信しています。カードを動かさないでください…',
              en: 'Talking to the card. Do not move it…',
            })}
            testId="consent-working"
          />
        )}
        {error && <ErrorNotice error={error} testId="consent-error" />}
      </section>
      <div className="consent-cancel">
        <button
          type="button"
          className="button-secondary"
          onClick={() => void cancel()}
          disabled={sending}
          data-testid="consent-cancel"
        >
          {blocked ? t({ ja: '閉じる', en: 'Close' }) : t({ ja: 'やめる', en: 'Cancel' })}
        </button>
      </div>
    </main>
  );
}

function initialLang(): Lang {
  return new URLSearchParams(window.location.search).get('lang') === 'en' ? 'en' : 'ja';
}

function Idle({ phase }: { phase: Phase }) {
  const t = useT();
  if (phase === 'loading') return <Progress label={t({ ja: '読み込み中…', en: 'Loading…' })} />;
  return (
    <main className="consent consent-idle" data-testid="consent-idle" data-phase={phase}>
      <h1>{t({ ja: '確認画面', en: 'Confirmation' })}</h1>
      <p>
        {phase === 'cancelled'
          ? t({ ja: '取り消しました。カードには何も送っていません。', en: 'Cancelled. Nothing was sent to the card.' })
          : t({ ja: '確認が必要な操作はありません。', en: 'Nothing is waiting for your confirmation.' })}
      </p>
    </main>
  );
}

export function ConsentApp({ api }: { api: ConsentApi }) {
  const [lang, setLang] = useState<Lang>(initialLang);
  const [view, setView] = useState<ConsentView>();
  // Main says which language the resident chose; a toggle here still wins for this window.
  const [langChosen, setLangChosen] = useState(false);
  useEffect(() => {
    if (view && !langChosen) setLang(view.language);
  }, [view, langChosen]);
  const [phase, setPhase] = useState<Phase>('loading');
  const [error, setError] = useState<UiError>();

  useEffect(() => {
    const off = api.onConsentUpdate((v) => {
      setView(v);
      setPhase('view');
    });
    void call(() => api.getConsent()).then((r) => {
      if (r.ok) {
        setView(r.value);
        setPhase('view');
      } else {
        setPhase((p) => (p === 'loading' ? 'idle' : p));
        if (r.error.code !== 'NOT_FOUND') setError(r.error);
      }
    });
    return off;
  }, [api]);

  return (
    <LangProvider lang={lang} setLang={setLang}>
      <div className="consent-frame">
        <div className="consent-top">
          <span className="consent-app">マイナ コンパニオン</span>
          <button
            type="button"
            className="button-link"
            lang={other(lang)}
            onClick={() => {
              setLangChosen(true);
              setLang(other(lang));
            }}
            data-testid="consent-lang"
          >
            {lang === 'ja' ? 'English' : '日本語'}
          </button>
        </div>
        {error && <ErrorNotice error={error} />}
        {phase === 'view' && view ? (
          <Consent
            key={view.id}
            api={api}
            view={view}
            onCancelled={() => {
              setPhase('cancelled');
              setView(undefined);
            }}
          />
        ) : (
          <Idle phase={phase} />
        )}
      </div>
    </LangProvider>
  );
}

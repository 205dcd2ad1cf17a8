/**
 * ホーム: login with the card (DESIGN §4 "Login") and the logged-in resident.
 * challenge (portal) → myna.login (consent window, auth PIN; main binds the origin) →
 * POST /auth/login (portal verifies) → GET /me.
 */
import { useState } from 'react';
import { call, type UiError } from '../../shared/errors.ts';
import { formatDateTime, type Text, useLang, useT } from '../../shared/i18n.tsx';
import { ErrorNotice, Progress } from '../../shared/ui.tsx';
import type { Challenge, LoginResponse, Me } from '../api.ts';
import { usePortal } from '../state.tsx';

type Step = 'idle' | 'challenge' | 'consent' | 'verify' | 'logout';

const STEP_TEXT: Record<Exclude<Step, 'idle'>, Text> = {
  challenge: { ja: 'ポータルに接続しています…', en: 'Contacting the portal…' },
  consent: {
    ja: '確認画面で、利用者証明用電子証明書の暗証番号（数字4桁）を入力してください…',
    en: 'Enter your 4-digit user-authentication PIN in the confirmation window…',
  },
  verify: { ja: 'ポータルで電子証明書を確認しています…', en: 'The portal is checking the certificate…' },
  logout: { ja: 'ログアウトしています…', en: 'Logging out…' },
};

export function HomeScreen() {
  const t = useT();
  const { lang } = useLang();
  const { myna, api, me, setMe, card, bumpPins, info } = usePortal();
  const [step, setStep] = useState<Step>('idle');
  const [error, setError] = useState<UiError>();
  const busy = step !== 'idle';

  async function login() {
    setError(undefined);
    setStep('challenge');
    try {
      const ch = await api.post<Challenge>('/api/v1/auth/challenge');
      if (!ch.ok) return setError(ch.error);
      setStep('consent');
      const signed = await call(() => myna.login({ challenge: ch.value.challenge }));
      bumpPins();
      if (!signed.ok) return setError(signed.error);
      setStep('verify');
      const done = await api.post<LoginResponse>('/api/v1/auth/login', {
        challengeId: ch.value.challengeId,
        signature: signed.value.signature,
        authCertificate: signed.value.authCertificate,
      });
      if (!done.ok) return setError(done.error);
      const who = await api.get<Me>('/api/v1/me');
      if (!who.ok) return setError(who.error);
      setMe(who.value);
    } finally {
      setStep('idle');
    }
  }

  async function logout() {
    setError(undefined);
    setStep('logout');
    const r = await api.post<null>('/api/v1/auth/logout');
    setStep('idle');
    if (!r.ok) setError(r.error);
    else setMe(null);
  }

  const cardReady = card?.card.status === 'present';

  return (
    <div className="screen" data-testid="screen-home">
      <section className="panel" aria-labelledby="login-title">
        <h2 id="login-title">{t({ ja: 'ログイン', en: 'Log in' })}</h2>
        {me === undefined && (
          <Progress label={t({ ja: 'ログイン状態を確認しています…', en: 'Checking the session…' })} />
        )}
        {me === null && (
          <>
            <p>
              {t({
                ja: 'マイナンバーカードの利用者証明用電子証明書でログインします。',
                en: 'Log in with the user-authentication certificate of your My Number Card.',
              })}
            </p>
            <p className="muted">
              {t({ ja: '接続先', en: 'Portal' })}: <code>{info.portalOrigin}</code>
            </p>
            {!cardReady && (
              <p className="muted">
                {t({ ja: '先にカードをリーダに置いてください。', en: 'Place your card on the reader first.' })}
              </p>
            )}
            <button
              type="button"
              className="button-primary"
              disabled={busy}
              onClick={() => void login()}
              data-testid="login"
            >
              {t({ ja: 'マイナンバーカードでログイン', en: 'Log in with My Number Card' })}
            </button>
          </>
        )}
        {me && (
          <div data-testid="resident">
            <p className="resident-name">
              {t({
                ja: `${me.displayName ?? '利用者'} さんとしてログインしています`,
                en: `Logged in as ${me.displayName ?? 'resident'}`,
              })}
            </p>
            <dl className="facts">
              {me.municipality && (
                <>
                  <dt>{t({ ja: '住所地', en: 'Municipality' })}</dt>
                  <dd>
                    {me.municipality.prefecture}
                    {me.municipality.name}
                  </dd>
                </>
              )}
              <dt>{t({ ja: 'ログイン日時', en: 'Logged in at' })}</dt>
              <dd>{formatDateTime(me.session.createdAt, lang)}</dd>
              <dt>{t({ ja: '有効期限', en: 'Session ends' })}</dt>
              <dd>{formatDateTime(me.session.expiresAt, lang)}</dd>
            </dl>
            <button
              type="button"
              className="button-secondary"
              disabled={busy}
              onClick={() => void logout()}
              data-testid="logout"
            >
              {t({ ja: 'ログアウト', en: 'Log out' })}
            </button>
          </div>
        )}
        {busy && <Progress label={t(STEP_TEXT[step as Exclude<Step, 'idle'>])} testId="login-progress" />}
        {error && <ErrorNotice error={error} testId="login-error" />}
      </section>
    </div>
  );
}

/**
 * 署名付きテスト申請: the sample 児童手当 認定請求 → myna.signApplication (main builds the package,
 * the consent window shows what will be signed, sign password) → 受付番号 or the outbox state.
 */
import { useState } from 'react';
import type { ResponseOf } from '../../../../electron/ipc/contract.ts';
import { call, type UiError } from '../../shared/errors.ts';
import { formatBytes, formatDateTime, useLang, useT } from '../../shared/i18n.tsx';
import { ErrorNotice, Progress } from '../../shared/ui.tsx';
import {
  SAMPLE_ATTACHMENT_NAME,
  SAMPLE_MUNICIPALITY_CODE,
  SAMPLE_MUNICIPALITY_NAME,
  SAMPLE_PROCEDURE,
  sampleDraft,
  samplePdfSize,
} from '../sample-draft.ts';
import { usePortal } from '../state.tsx';

type Signed = ResponseOf<'application:sign'>;

export function ApplyScreen() {
  const t = useT();
  const { lang } = useLang();
  const { myna, me, bumpPins } = usePortal();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<UiError>();
  const [result, setResult] = useState<Signed>();
  const draft = sampleDraft(me);

  async function submit() {
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    const r = await call(() => myna.signApplication({ draft: sampleDraft(me) }));
    setBusy(false);
    bumpPins();
    if (r.ok) setResult(r.value);
    else setError(r.error);
  }

  const applicant = draft.form.applicant as { name?: string } | undefined;

  return (
    <div className="screen" data-testid="screen-apply">
      <section className="panel" aria-labelledby="apply-title">
        <h2 id="apply-title">{t({ ja: '署名付きテスト申請', en: 'Signed test application' })}</h2>
        <p>
          {t({
            ja: '見本の申請書に署名用電子証明書で署名し、ポータルに送信します。署名の前に、確認画面で署名する内容を確認できます。',
            en: 'Signs a sample application with your signature certificate and sends it to the portal. The confirmation window shows exactly what will be signed first.',
          })}
        </p>
        <dl className="facts">
          <dt>{t({ ja: '手続', en: 'Procedure' })}</dt>
          <dd>{t(SAMPLE_PROCEDURE)}</dd>
          <dt>{t({ ja: '提出先', en: 'Municipality' })}</dt>
          <dd>
            {me?.municipality
              ? `${me.municipality.prefecture}${me.municipality.name}`
              : draft.municipalityCode === SAMPLE_MUNICIPALITY_CODE
                ? SAMPLE_MUNICIPALITY_NAME
                : ''}{' '}
            ({draft.municipalityCode})
          </dd>
          <dt>{t({ ja: '請求者', en: 'Claimant' })}</dt>
          <dd>{applicant?.name}</dd>
          <dt>{t({ ja: '添付書類', en: 'Attachments' })}</dt>
          <dd>
            {SAMPLE_ATTACHMENT_NAME} ({formatBytes(samplePdfSize())})
          </dd>
        </dl>
        {!me && (
          <p className="muted">
            {t({
              ja: '未ログインの場合、署名した申請は送信待ちに保存され、ログイン後に送信されます。',
              en: 'Without a login the signed application waits in the outbox and is sent after you log in.',
            })}
          </p>
        )}
        <button
          type="button"
          className="button-primary"
          disabled={busy}
          onClick={() => void submit()}
          data-testid="submit-application"
        >
          {t({ ja: '署名して送信', en: 'Sign and send' })}
        </button>
        {busy && (
          <Progress
            label={t({
              ja: '確認画面で内容を確認し、署名用電子証明書のパスワードを入力してください…',
              en: 'Check the confirmation window and enter your signature password…',
            })}
            testId="apply-progress"
          />
        )}
        {error && <ErrorNotice error={error} testId="apply-error" />}
        {result && (
          <div
            className="notice notice-success"
            role="status"
            data-testid="apply-result"
            data-delivery={result.delivery}
          >
            {result.delivery === 'delivered' && result.receipt ? (
              <>
                <p className="notice-message">
                  {t({ ja: '申請を受け付けました。', en: 'The application was received.' })}
                </p>
                <dl className="facts">
                  <dt>{t({ ja: '受付番号', en: 'Receipt number' })}</dt>
                  <dd>
                    <strong data-testid="receipt-number">{result.receipt.receiptNumber}</strong>
                  </dd>
                  <dt>{t({ ja: '受付日時', en: 'Received at' })}</dt>
                  <dd>{formatDateTime(result.receipt.receivedAt, lang)}</dd>
                </dl>
              </>
            ) : result.delivery === 'needs-login' ? (
              <p className="notice-message">
                {t({
                  ja: '署名しました。ログインすると送信されます（送信待ちに保存しました）。',
                  en: 'Signed. It will be sent once you log in (kept in the outbox).',
                })}
              </p>
            ) : (
              <p className="notice-message">
                {t({
                  ja: '署名しました。ポータルに届かなかったため、送信待ちに保存しました。自動的に再送します。',
                  en: 'Signed. The portal could not be reached, so it is kept in the outbox and will be retried.',
                })}
              </p>
            )}
            <p className="muted">
              {t({ ja: '指紋（SHA-256）', en: 'Fingerprint (SHA-256)' })}: <code>{result.fingerprint}</code>
            </p>
          </div>
        )}
      </section>
    </div>
  );
}

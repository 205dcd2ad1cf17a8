/** 送信待ち: signed packages until the portal acknowledges them; live via onOutboxChange, with retry. */
import { useEffect, useState } from 'react';
import type { OutboxItem } from '../../../../electron/ipc/contract.ts';
import { call, type UiError } from '../../shared/errors.ts';
import { formatBytes, formatDateTime, type Text, useLang, useT } from '../../shared/i18n.tsx';
import { ErrorNotice, Progress } from '../../shared/ui.tsx';
import { usePortal } from '../state.tsx';

const STATE_TEXT: Record<OutboxItem['state'], Text> = {
  pending: { ja: '送信待ち', en: 'Waiting' },
  sending: { ja: '送信中', en: 'Sending' },
  'needs-login': { ja: 'ログイン待ち', en: 'Waiting for login' },
  delivered: { ja: '送信済み', en: 'Delivered' },
  rejected: { ja: '受付不可', en: 'Rejected' },
};

const PROCEDURES: Record<string, Text> = {
  'jidou-teate-nintei': { ja: '児童手当 認定請求', en: 'Child allowance: claim' },
  'hoikusho-nyusho': { ja: '保育所 入所申込', en: 'Nursery school admission' },
};

function upsert(items: OutboxItem[], item: OutboxItem): OutboxItem[] {
  const i = items.findIndex((x) => x.id === item.id);
  if (i < 0) return [item, ...items];
  const copy = items.slice();
  copy[i] = item;
  return copy;
}

export function OutboxScreen() {
  const t = useT();
  const { lang } = useLang();
  const { myna } = usePortal();
  const [items, setItems] = useState<OutboxItem[]>();
  const [error, setError] = useState<UiError>();
  const [retrying, setRetrying] = useState<string>();

  useEffect(() => {
    const off = myna.onOutboxChange((item) => setItems((list) => upsert(list ?? [], item)));
    void call(() => myna.listOutbox()).then((r) => {
      if (r.ok) setItems(r.value.items);
      else setError(r.error);
    });
    return off;
  }, [myna]);

  async function retry(id: string) {
    setRetrying(id);
    setError(undefined);
    const r = await call(() => myna.retryOutbox({ id }));
    setRetrying(undefined);
    if (r.ok) setItems((list) => upsert(list ?? [], r.value));
    else setError(r.error);
  }

  return (
    <div className="screen" data-testid="screen-outbox">
      <section className="panel" aria-labelledby="outbox-title">
        <h2 id="outbox-title">{t({ ja: '送信待ちの申請', en: 'Outbox' })}</h2>
        <p className="muted">
          {t({
            ja: '署名した申請は、ポータルが受け付けるまでこのパソコンに保存され、自動的に再送されます。',
            en: 'Signed applications stay on this computer until the portal acknowledges them, and are retried automatically.',
          })}
        </p>
        {error && <ErrorNotice error={error} />}
        {!items && !error && <Progress label={t({ ja: '読み込み中…', en: 'Loading…' })} />}
        {items && items.length === 0 && (
          <p data-testid="outbox-empty">{t({ ja: '送信待ちの申請はありません。', en: 'The outbox is empty.' })}</p>
        )}
        {items && items.length > 0 && (
          <ul className="outbox-list" data-testid="outbox-list">
            {items.map((item) => (
              <li
                key={item.id}
                className={`outbox-item outbox-${item.state}`}
                data-testid="outbox-item"
                data-state={item.state}
              >
                <div className="outbox-head">
                  <strong>{t(PROCEDURES[item.procedureId] ?? { ja: item.procedureId, en: item.procedureId })}</strong>
                  <span className={`badge badge-${item.state}`}>{t(STATE_TEXT[item.state])}</span>
                </div>
                <dl className="facts">
                  <dt>{t({ ja: '作成日時', en: 'Created' })}</dt>
                  <dd>{formatDateTime(item.createdAt, lang)}</dd>
                  <dt>{t({ ja: '提出先', en: 'Municipality' })}</dt>
                  <dd>{item.municipalityCode}</dd>
                  <dt>{t({ ja: 'サイズ', en: 'Size' })}</dt>
                  <dd>{formatBytes(item.packageBytes)}</dd>
                  <dt>{t({ ja: '指紋', en: 'Fingerprint' })}</dt>
                  <dd>
                    <code>{item.fingerprint}</code>
                  </dd>
                  <dt>{t({ ja: '送信回数', en: 'Attempts' })}</dt>
                  <dd>{item.attempts}</dd>
                  {item.nextAttemptAt && item.state === 'pending' && (
                    <>
                      <dt>{t({ ja: '次の再送', en: 'Next attempt' })}</dt>
                      <dd>{formatDateTime(item.nextAttemptAt, lang)}</dd>
                    </>
                  )}
                  {item.receipt && (
                    <>
                      <dt>{t({ ja: '受付番号', en: 'Receipt number' })}</dt>
                      <dd>
                        <strong>{item.receipt.receiptNumber}</strong>
                      </dd>
                    </>
                  )}
                </dl>
                {item.lastError && item.state !== 'delivered' && (
                  <ErrorNotice error={{ code: item.lastError.code, message: item.lastError.message }} />
                )}
                {item.state === 'needs-login' && (
                  <p className="muted">
                    {t({ ja: 'ログインすると送信を再開します。', en: 'Sending resumes after you log in.' })}
                  </p>
                )}
                {(item.state === 'pending' || item.state === 'needs-login') && (
                  <button
                    type="button"
                    className="button-secondary"
                    disabled={retrying !== undefined}
                    onClick={() => void retry(item.id)}
                    data-testid="outbox-retry"
                  >
                    {retrying === item.id
                      ? t({ ja: '送信中…', en: 'Sending…' })
                      : t({ ja: '今すぐ再送', en: 'Retry now' })}
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

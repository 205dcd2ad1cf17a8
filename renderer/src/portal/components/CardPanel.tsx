/** Card & reader: live from getCardState + onCardEvent; says what to do when something is missing. */
import type { CardEvent, CardState } from '../../../../electron/ipc/contract.ts';
import { type Text, useT } from '../../shared/i18n.tsx';
import { ErrorNotice, Progress } from '../../shared/ui.tsx';
import { usePortal } from '../state.tsx';

const SERVICE_DOWN: Text = {
  ja: 'スマートカードサービス（PC/SC）が動いていないため、カードリーダを使えません。',
  en: 'The smart-card service (PC/SC) is not running, so no reader can be used.',
};
const SERVICE_REMEDY: Text = {
  ja: 'Linux では pcscd を起動してください（例：sudo systemctl start pcscd）。Windows では「Smart Card」サービスを開始してください。その後、カードリーダを接続し直してください。',
  en: 'On Linux start pcscd (e.g. sudo systemctl start pcscd); on Windows start the "Smart Card" service. Then reconnect the reader.',
};

function eventText(e: CardEvent): Text {
  switch (e.type) {
    case 'reader-added':
      return { ja: `カードリーダが接続されました：${e.reader}`, en: `Reader connected: ${e.reader}` };
    case 'reader-removed':
      return { ja: `カードリーダが外されました：${e.reader}`, en: `Reader disconnected: ${e.reader}` };
    case 'card-inserted':
      return { ja: 'カードが置かれました', en: 'A card was inserted' };
    case 'card-removed':
      return { ja: 'カードが取り外されました', en: 'The card was removed' };
    case 'service-down':
      return { ja: 'スマートカードサービスが停止しました', en: 'The smart-card service stopped' };
    case 'service-up':
      return { ja: 'スマートカードサービスが起動しました', en: 'The smart-card service started' };
  }
}

/**
 * PC/SC down or missing: a warning with the remedy, unless the demo card stands in (then a note:
 * the app works, only real readers are out of reach).
 */
function ServiceNotice({ card }: { card: CardState }) {
  const t = useT();
  if (card.service !== 'down' && card.service !== 'unavailable') return null;
  if (card.card.status === 'present' && card.card.demo) {
    return (
      <p className="muted" data-testid="card-service-note">
        {t({
          ja: 'スマートカードサービス（PC/SC）は使えないため、実際のカードリーダは読み取れません。',
          en: 'The smart-card service (PC/SC) is not available, so real readers cannot be used.',
        })}
      </p>
    );
  }
  return (
    <div className="notice notice-warning" data-testid="card-service" data-status="service-down">
      <p className="notice-message">{t(SERVICE_DOWN)}</p>
      <p className="notice-remedy">{t(SERVICE_REMEDY)}</p>
    </div>
  );
}

function Status({ card }: { card: CardState }) {
  const t = useT();
  if (card.service === 'starting') {
    return <Progress label={t({ ja: 'カードリーダを確認しています…', en: 'Looking for card readers…' })} />;
  }
  if (card.card.status === 'present') {
    return (
      <div className="card-status card-present" data-testid="card-status" data-status="present">
        <p className="card-headline">
          {t({ ja: 'マイナンバーカードを認識しました', en: 'My Number Card detected' })}
          {card.card.demo && (
            <span className="badge badge-demo" data-testid="card-demo">
              {t({ ja: 'デモカード', en: 'Demo card' })}
            </span>
          )}
        </p>
        <p className="muted">
          {t({ ja: 'リーダ', en: 'Reader' })}: {card.card.reader}
        </p>
        {card.card.demo && (
          <p className="muted">
            {t({
              ja: '本物のカードではなく、アプリ内の模擬カード（エミュレータ）を使っています。',
              en: 'This is the built-in emulated card, not a real one.',
            })}
          </p>
        )}
      </div>
    );
  }
  if (card.service === 'down' || card.service === 'unavailable') return null;
  if (card.readers.length === 0) {
    return (
      <div className="notice notice-warning" data-testid="card-status" data-status="no-reader">
        <p className="notice-message">{t({ ja: 'カードリーダが見つかりません。', en: 'No card reader found.' })}</p>
        <p className="notice-remedy">
          {t({
            ja: 'ICカードリーダをパソコンに接続してください。',
            en: 'Connect a smart-card reader to this computer.',
          })}
        </p>
      </div>
    );
  }
  return (
    <div className="notice notice-info" data-testid="card-status" data-status="absent">
      <p className="notice-message">{t({ ja: 'カードが置かれていません。', en: 'No card in the reader.' })}</p>
      <p className="notice-remedy">
        {t({
          ja: 'マイナンバーカードをリーダに置くか、差し込んでください。',
          en: 'Place or insert your My Number Card in the reader.',
        })}
      </p>
    </div>
  );
}

export function CardPanel() {
  const t = useT();
  const { card, cardError, lastCardEvent, refreshCard } = usePortal();
  return (
    <section className="panel" aria-labelledby="card-panel-title" data-testid="card-panel">
      <h2 id="card-panel-title">{t({ ja: 'カードとリーダ', en: 'Card and reader' })}</h2>
      {cardError ? (
        <ErrorNotice error={cardError} />
      ) : card ? (
        <>
          <Status card={card} />
          <ServiceNotice card={card} />
        </>
      ) : (
        <Progress label={t({ ja: 'カードの状態を確認しています…', en: 'Checking the card…' })} />
      )}
      {card && card.readers.length > 0 && (
        <ul className="reader-list">
          {card.readers.map((r) => (
            <li key={r.name}>
              <span>{r.name}</span>{' '}
              <span className="muted">
                {r.cardPresent ? t({ ja: 'カードあり', en: 'card present' }) : t({ ja: 'カードなし', en: 'empty' })}
              </span>
            </li>
          ))}
        </ul>
      )}
      {lastCardEvent && (
        <p className="muted" aria-live="polite" data-testid="card-last-event">
          {t(eventText(lastCardEvent))}
        </p>
      )}
      <button type="button" className="button-secondary" onClick={refreshCard}>
        {t({ ja: '再確認', en: 'Check again' })}
      </button>
    </section>
  );
}

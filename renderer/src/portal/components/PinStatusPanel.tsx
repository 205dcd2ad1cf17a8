/**
 * Tries left for each PIN (read without spending one), with the hard warning at one left and
 * the way out when a PIN is blocked; a PIN change opens the consent window.
 */
import { useEffect, useState } from 'react';
import type { PinKind, ResponseOf } from '../../../../electron/ipc/contract.ts';
import { call, type UiError } from '../../shared/errors.ts';
import { useT } from '../../shared/i18n.tsx';
import { BLOCKED_RECOVERY, PIN_NAMES, PIN_RULES } from '../../shared/pins.ts';
import { ErrorNotice, Progress } from '../../shared/ui.tsx';
import { usePortal } from '../state.tsx';

type Pins = ResponseOf<'pin:status'>['pins'];

export function PinStatusPanel() {
  const t = useT();
  const { myna, card, pinsVersion, bumpPins } = usePortal();
  const [pins, setPins] = useState<Pins>();
  const [error, setError] = useState<UiError>();
  const [changing, setChanging] = useState<PinKind>();
  const [changed, setChanged] = useState<PinKind>();
  const present = card?.card.status === 'present';

  // biome-ignore lint/correctness/useExhaustiveDependencies: pinsVersion is the re-read trigger
  useEffect(() => {
    if (!present) {
      setPins(undefined);
      return;
    }
    let live = true;
    void call(() => myna.getPinStatus()).then((r) => {
      if (!live) return;
      if (r.ok) {
        setPins(r.value.pins);
        setError(undefined);
      } else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [myna, present, pinsVersion]);

  async function change(pin: PinKind) {
    setChanging(pin);
    setChanged(undefined);
    setError(undefined);
    const r = await call(() => myna.changePin({ pin }));
    setChanging(undefined);
    if (r.ok) setChanged(pin);
    else setError(r.error);
    bumpPins();
  }

  return (
    <section className="panel" aria-labelledby="pin-panel-title" data-testid="pin-panel">
      <h2 id="pin-panel-title">{t({ ja: '暗証番号の状態', en: 'PIN status' })}</h2>
      {!present && (
        <p className="muted">
          {t({ ja: 'カードを置くと、残り回数を表示します。', en: 'Insert the card to see the tries left.' })}
        </p>
      )}
      {present && !pins && !error && <Progress label={t({ ja: '読み取り中…', en: 'Reading…' })} />}
      {error && <ErrorNotice error={error} />}
      {changing && (
        <Progress
          label={t({ ja: '確認画面で暗証番号を入力してください…', en: 'Enter the PINs in the confirmation window…' })}
        />
      )}
      {changed && (
        <p className="notice notice-success" role="status">
          {t({ ja: `${PIN_NAMES[changed].ja}を変更しました。`, en: `${PIN_NAMES[changed].en} changed.` })}
        </p>
      )}
      {pins && (
        <ul className="pin-list">
          {pins.map((p) => (
            <li key={p.pin} className={`pin pin-${p.state}`} data-testid={`pin-${p.pin}`} data-remaining={p.remaining}>
              <div className="pin-name">
                {t(PIN_NAMES[p.pin])} <span className="muted">（{t(PIN_RULES[p.pin])}）</span>
              </div>
              <div className="pin-tries">
                {p.state === 'blocked'
                  ? t({ ja: 'ロックされています', en: 'Locked' })
                  : t({ ja: `残り ${p.remaining} 回（${p.max} 回中）`, en: `${p.remaining} of ${p.max} tries left` })}
              </div>
              {p.state === 'one-left' && (
                <p className="pin-warning" role="alert">
                  {t({
                    ja: '残り1回です。次に間違えるとロックされ、市区町村の窓口での手続きが必要になります。',
                    en: 'One try left: one more mistake locks it and you will need your municipal office.',
                  })}
                </p>
              )}
              {p.state === 'blocked' && <p className="pin-warning">{t(BLOCKED_RECOVERY)}</p>}
              {p.state !== 'blocked' && (
                <button
                  type="button"
                  className="button-link"
                  disabled={changing !== undefined}
                  onClick={() => void change(p.pin)}
                >
                  {t({ ja: '変更する', en: 'Change' })}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

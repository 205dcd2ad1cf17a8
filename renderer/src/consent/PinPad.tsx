/**
 * On-screen keys for kiosks (and anyone without a keyboard): digits for the 4-digit PINs,
 * capital letters and digits for the signature password. Keys only append to the field the
 * page owns; nothing here remembers a key.
 */
import { useT } from '../shared/i18n.tsx';

const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'];
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');

export function PinPad({
  alphanumeric,
  disabled,
  onKey,
  onBackspace,
  onClear,
}: {
  alphanumeric: boolean;
  disabled: boolean;
  onKey(k: string): void;
  onBackspace(): void;
  onClear(): void;
}) {
  const t = useT();
  const keys = alphanumeric ? [...DIGITS, ...LETTERS] : DIGITS;
  return (
    <fieldset
      className={`pin-pad ${alphanumeric ? 'pin-pad-alpha' : 'pin-pad-digits'}`}
      aria-label={t({ ja: '画面のキーパッド', en: 'On-screen keypad' })}
      data-testid="pin-pad"
    >
      {keys.map((k) => (
        <button key={k} type="button" className="pin-key" disabled={disabled} onClick={() => onKey(k)}>
          {k}
        </button>
      ))}
      <button type="button" className="pin-key pin-key-wide" disabled={disabled} onClick={onBackspace}>
        {t({ ja: '1字消す', en: 'Delete' })}
      </button>
      <button type="button" className="pin-key pin-key-wide" disabled={disabled} onClick={onClear}>
        {t({ ja: 'クリア', en: 'Clear' })}
      </button>
    </fieldset>
  );
}

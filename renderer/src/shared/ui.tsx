/** Small pieces both pages use: an error notice with its remedy, a progress line. */
import { remedyOf, type UiError } from './errors.ts';
import { useT } from './i18n.tsx';

export function ErrorNotice({ error, testId }: { error: UiError; testId?: string }) {
  const t = useT();
  const remedy = remedyOf(error);
  return (
    <div className="notice notice-error" role="alert" data-testid={testId ?? 'error'} data-code={error.code}>
      <p className="notice-message">{t(error.message)}</p>
      {remedy && <p className="notice-remedy">{t(remedy)}</p>}
      <p className="notice-code">
        {t({ ja: 'エラーコード', en: 'Error code' })}: <code>{error.code}</code>
      </p>
    </div>
  );
}

export function Progress({ label, testId }: { label: string; testId?: string }) {
  return (
    <div className="progress" role="status" aria-live="polite" data-testid={testId ?? 'progress'}>
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

/** The portal window's frame: header (name, demo badge, language), card side panel, screen router. */
import { useEffect, useState } from 'react';
import type { MynaApi } from '../../../electron/ipc/bridge.ts';
import { call, type UiError } from '../shared/errors.ts';
import { type Lang, LangProvider, other, useT } from '../shared/i18n.tsx';
import { ErrorNotice, Progress } from '../shared/ui.tsx';
import { CardPanel } from './components/CardPanel.tsx';
import { PinStatusPanel } from './components/PinStatusPanel.tsx';
import { SCREENS, screenFor } from './screens/registry.ts';
import { type AppInfo, PortalProvider, usePortal } from './state.tsx';

function useHash(): string {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const on = () => setHash(window.location.hash);
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return hash;
}

function Header({ lang, onToggle }: { lang: Lang; onToggle(): void }) {
  const t = useT();
  const { card, info } = usePortal();
  const demoCard = card?.card.status === 'present' && card.card.demo;
  return (
    <header className="app-header">
      <h1 className="app-name">
        <span>マイナ コンパニオン</span>
        <span className="app-name-en" lang="en">
          Myna Companion
        </span>
      </h1>
      <div className="header-badges">
        {demoCard && (
          <span className="badge badge-demo" data-testid="demo-badge">
            デモカード
          </span>
        )}
        {info.runtime === 'test-host' && (
          <span className="badge badge-muted">{t({ ja: 'テスト環境', en: 'Test host' })}</span>
        )}
      </div>
      <button
        type="button"
        className="button-secondary lang-toggle"
        onClick={onToggle}
        lang={other(lang)}
        data-testid="lang-toggle"
      >
        {lang === 'ja' ? 'English' : '日本語'}
      </button>
    </header>
  );
}

/** What main says the resident should know since start-up (settings recovered, pcscd missing …). */
function StartupNotices() {
  const t = useT();
  const { info } = usePortal();
  if (info.notices.length === 0) return null;
  return (
    <div className="startup-notices" data-testid="startup-notices">
      {info.notices.map((n) => (
        <div key={n.code} className="notice notice-warning" role="status" data-code={n.code}>
          <p className="notice-message">{t(n.message)}</p>
        </div>
      ))}
    </div>
  );
}

function Frame({ lang, onToggle, langError }: { lang: Lang; onToggle(): void; langError: UiError | undefined }) {
  const t = useT();
  const hash = useHash();
  const screen = screenFor(hash);
  const Screen = screen.component;
  return (
    <div className="app">
      <Header lang={lang} onToggle={onToggle} />
      {langError && <ErrorNotice error={langError} />}
      <StartupNotices />
      <div className="app-body">
        <aside className="sidebar">
          <CardPanel />
          <PinStatusPanel />
        </aside>
        <main className="main">
          <nav className="screen-nav" aria-label={t({ ja: 'メニュー', en: 'Menu' })}>
            {SCREENS.map((s) => (
              <a
                key={s.id}
                href={`#/${s.id}`}
                aria-current={s.id === screen.id ? 'page' : undefined}
                data-testid={`nav-${s.id}`}
              >
                {t(s.title)}
              </a>
            ))}
          </nav>
          <Screen />
        </main>
      </div>
    </div>
  );
}

export function App({ myna }: { myna: MynaApi }) {
  const [info, setInfo] = useState<AppInfo>();
  const [lang, setLang] = useState<Lang>('ja');
  const [fatal, setFatal] = useState<UiError>();
  const [langError, setLangError] = useState<UiError>();

  useEffect(() => {
    void call(() => myna.getAppInfo()).then((r) => {
      if (!r.ok) return setFatal(r.error);
      setInfo(r.value);
      setLang(r.value.language);
    });
  }, [myna]);

  async function toggle() {
    const next = other(lang);
    setLang(next);
    const r = await call(() => myna.setSettings({ language: next }));
    setLangError(r.ok ? undefined : r.error);
  }

  return (
    <LangProvider lang={lang} setLang={setLang}>
      {fatal ? (
        <div className="app app-fatal">
          <ErrorNotice error={fatal} />
        </div>
      ) : !info ? (
        <div className="app app-loading">
          <Progress label="起動しています… / Starting…" />
        </div>
      ) : (
        <PortalProvider myna={myna} info={info}>
          <Frame lang={lang} onToggle={() => void toggle()} langError={langError} />
        </PortalProvider>
      )}
    </LangProvider>
  );
}

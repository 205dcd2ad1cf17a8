/**
 * A tiny i18n: Japanese first, English second. Every user-visible string is a `Text`
 * ({ja, en}) — the same shape main uses for error messages (IpcError.message) — so the page
 * never has to translate what main says, only pick the language.
 */
import { createContext, type ReactNode, useContext, useEffect } from 'react';
import type { LocalisedText } from '../../../electron/ipc/result.ts';

export type Lang = 'ja' | 'en';
export type Text = LocalisedText;

interface LangState {
  lang: Lang;
  setLang(lang: Lang): void;
}

const LangContext = createContext<LangState>({ lang: 'ja', setLang: () => {} });

export function LangProvider({ lang, setLang, children }: LangState & { children: ReactNode }) {
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  return <LangContext.Provider value={{ lang, setLang }}>{children}</LangContext.Provider>;
}

export function useLang(): LangState {
  return useContext(LangContext);
}

/** `t(text)` picks the current language. */
export function useT(): (text: Text) => string {
  const { lang } = useContext(LangContext);
  return (text) => text[lang];
}

export const other = (lang: Lang): Lang => (lang === 'ja' ? 'en' : 'ja');

/** 1234567 → "1.2 MB" / "12 KB" / "532 B" (both languages write sizes the same way). */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

/** ISO instant → local date and time, in the page's language. */
export function formatDateTime(iso: string, lang: Lang): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(lang === 'ja' ? 'ja-JP' : 'en-GB', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
}

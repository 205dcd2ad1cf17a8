/** Entry of the consent window (consent.html). */
import '@fontsource-variable/noto-sans-jp';
import '../styles/base.css';
import '../styles/consent.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { consentBridge } from '../shared/bridge.ts';
import { bridgeError } from '../shared/errors.ts';
import { LangProvider } from '../shared/i18n.tsx';
import { ErrorNotice } from '../shared/ui.tsx';
import { ConsentApp } from './ConsentApp.tsx';

const root = createRoot(document.getElementById('root') as HTMLElement);
const api = consentBridge();
root.render(
  <StrictMode>
    {api ? (
      <ConsentApp api={api} />
    ) : (
      <LangProvider lang="ja" setLang={() => {}}>
        <ErrorNotice error={bridgeError()} />
      </LangProvider>
    )}
  </StrictMode>,
);

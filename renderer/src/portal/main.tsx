/** Entry of the portal window (index.html). */
import '@fontsource-variable/noto-sans-jp';
import '../styles/base.css';
import '../styles/portal.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { portalBridge } from '../shared/bridge.ts';
import { bridgeError } from '../shared/errors.ts';
import { LangProvider } from '../shared/i18n.tsx';
import { ErrorNotice } from '../shared/ui.tsx';
import { App } from './App.tsx';

const root = createRoot(document.getElementById('root') as HTMLElement);
const myna = portalBridge();
root.render(
  <StrictMode>
    {myna ? (
      <App myna={myna} />
    ) : (
      <LangProvider lang="ja" setLang={() => {}}>
        <ErrorNotice error={bridgeError()} />
      </LangProvider>
    )}
  </StrictMode>,
);

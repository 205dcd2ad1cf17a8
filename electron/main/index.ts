/**
 * Electron's entry (package.json "main" → out/main/index.js, built by scripts/build.ts).
 * Everything happens in app-main.ts; this file only supplies the real composition root.
 */
import { app } from 'electron';
import { runApp } from './app-main.ts';
import { startMainServices } from './services/compose.ts';

void runApp({ startMainServices }).then((outcome) => {
  if (!outcome.started) console.error(`Myna Companion did not start: ${outcome.reason}`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => app.quit());

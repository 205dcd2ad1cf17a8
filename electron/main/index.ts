/**
 * Electron's entry (package.json "main" → out/main/index.js, built by scripts/build.ts).
 * Everything happens in app-main.ts; this file only supplies the real composition root, with
 * settings kept by electron-store (the only place that imports it: tests use conf directly).
 */
import { app } from 'electron';
import { runApp } from './app-main.ts';
import { startMainServices } from './services/compose.ts';
import { electronStoreFactory } from './services/settings/electron-store-factory.ts';

void runApp({
  startMainServices: (config) => startMainServices({ ...config, settingsStore: electronStoreFactory }),
}).then((outcome) => {
  if (!outcome.started) console.error(`Myna Companion did not start: ${outcome.reason}`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => app.quit());

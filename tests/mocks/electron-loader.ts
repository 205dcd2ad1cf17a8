/**
 * `node --import ./tests/mocks/electron-loader.ts <file>`: `electron` resolves to the fakes in
 * electron.ts, so a built main (out/main/index.js) can be loaded and run in plain Node
 * without the Electron binary (which node_modules/electron/index.js would try to download).
 */
import { register } from 'node:module';

register(new URL('./electron-hooks.ts', import.meta.url));

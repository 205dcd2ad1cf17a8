import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// One Vite config for the whole repository: the renderer build, and the test projects
// (DESIGN §9): `unit` runs everything in-process against the emulator, `integration` needs
// pcscd + vpcd and runs its files one at a time because they share two virtual readers.
//
// --- Renderer build (DESIGN §3, §10): two pages, the portal window and the consent window,
// into out/renderer. Relative asset URLs so that they resolve under app://myna-companion/ as
// well as under the test host's http origin. No inline script or style is emitted (the CSP is
// script-src 'self'; style-src 'self'): no module-preload polyfill, CSS as files, assets as
// files (assetsInlineLimit 0 keeps fonts out of data: URLs). Vitest (which sets VITEST) keeps
// the repository root and no plugins: the renderer's root would hide every test file.
const renderer = {
  root: here('renderer'),
  base: './',
  plugins: [react()],
  build: {
    outDir: here('out/renderer'),
    emptyOutDir: true,
    target: 'chrome130',
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    cssCodeSplit: true,
    sourcemap: false,
    rollupOptions: {
      input: { index: here('renderer/index.html'), consent: here('renderer/consent.html') },
      // Readable names for what both pages share: React, the font's CSS, the page helpers.
      output: {
        manualChunks: (id: string) =>
          id.includes('/node_modules/') ? 'vendor' : id.includes('/src/shared/') ? 'shared' : undefined,
      },
    },
  },
};

export default defineConfig({
  ...(process.env.VITEST ? {} : renderer),
  test: {
    projects: [
      {
        // `electron` is the hand-written fake in unit tests: the real package's index.js would
        // try to download the Electron binary (electron-anchors §4.1).
        resolve: { alias: [{ find: /^electron$/, replacement: here('tests/mocks/electron.ts') }] },
        test: {
          name: 'unit',
          include: [
            'native/**/*.test.ts',
            'electron/**/*.test.ts',
            'portal/**/*.test.ts',
            'resources/**/*.test.ts',
            'tests/unit/**/*.test.ts',
          ],
          environment: 'node',
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});

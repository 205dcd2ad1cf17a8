import { defineConfig } from 'vitest/config';

// One Vite config for the whole repository. The renderer build is added with the Electron
// shell; for now it carries the test projects (DESIGN §9): `unit` runs everything in-process
// against the emulator, `integration` needs pcscd + vpcd and runs its files one at a time
// because they share two virtual readers.
export default defineConfig({
  test: {
    projects: [
      {
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

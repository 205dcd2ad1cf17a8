/**
 * DESIGN §2's dependency direction, checked on every import in the tree: native/ imports
 * nothing of ours outside native/; portal/ nothing from electron/ or renderer/; renderer/ only
 * electron/ipc; preloads only electron/ipc.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function sources(dir: string): string[] {
  let out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(join(root, dir));
  } catch {
    return [];
  }
  for (const e of entries) {
    const p = join(dir, e);
    if (statSync(join(root, p)).isDirectory()) out = out.concat(sources(p));
    else if (/\.(ts|tsx)$/.test(e)) out.push(p);
  }
  return out;
}

// Code imports only: reading a data file (new URL(…, import.meta.url)) is not a dependency.
const IMPORT = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Repository-relative targets of the relative imports of one file. */
function localImports(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    if (spec?.startsWith('.')) out.push(relative(root, resolve(root, dirname(file), spec)));
  }
  return out;
}

/** Test files and the test-only helpers beside them (never shipped: electron-builder packs out/ only). */
function isTestOnly(file: string): boolean {
  return /\.test\.ts$|(^|\/)test-(support|fixtures|profile)\.ts$/.test(file);
}

const RULES: { from: string; allowed: (target: string) => boolean; why: string }[] = [
  { from: 'native', allowed: (t) => t.startsWith('native/') || t === 'native', why: 'native/ imports nothing of ours' },
  {
    from: 'portal',
    allowed: (t) => !t.startsWith('electron/') && !t.startsWith('renderer/'),
    why: 'portal/ does not import the app',
  },
  {
    from: 'renderer',
    allowed: (t) => t.startsWith('renderer/') || t.startsWith('electron/ipc/'),
    why: 'renderer/ imports only electron/ipc',
  },
  {
    from: 'electron/ipc',
    allowed: (t) => t.startsWith('electron/ipc/'),
    why: 'electron/ipc (the contract) imports nothing but itself',
  },
  {
    from: 'electron/main',
    allowed: (t) =>
      !t.startsWith('renderer/') &&
      !t.startsWith('electron/preload/') &&
      (!t.startsWith('portal/') || t === 'portal/start.ts'),
    why: 'electron/main imports native/, electron/ipc and, for demo mode, only the portal start function',
  },
  {
    from: 'electron/preload',
    allowed: (t) => t.startsWith('electron/preload/') || t.startsWith('electron/ipc/'),
    why: 'preloads import only electron/ipc',
  },
];

describe('dependency direction (DESIGN §2)', () => {
  for (const rule of RULES) {
    it(rule.why, () => {
      const offenders = sources(rule.from)
        // Tests and their helper files may import anything; product code may not.
        .filter((f) => !isTestOnly(f))
        .flatMap((f) =>
          localImports(f)
            .filter((t) => !rule.allowed(t))
            .map((t) => `${f} → ${t}`),
        );
      expect(offenders).toEqual([]);
    });
  }

  it('renderer/ imports electron/ipc for types only, so no schema library ships to the page', () => {
    const VALUE_IMPORT = /^\s*import\s+(?!type\b)[^'"]*?from\s*['"]([^'"]+)['"]/gm;
    const offenders = sources('renderer')
      .filter((f) => !isTestOnly(f))
      .flatMap((f) =>
        [...readFileSync(join(root, f), 'utf8').matchAll(VALUE_IMPORT)]
          .map((m) => m[1] ?? '')
          .filter((spec) => spec.startsWith('.'))
          .map((spec) => relative(root, resolve(root, dirname(f), spec)))
          .filter((t) => t.startsWith('electron/'))
          .map((t) => `${f} → ${t}`),
      );
    expect(offenders).toEqual([]);
  });

  it('product code never imports a test-only helper', () => {
    const offenders = ['native', 'electron', 'portal', 'renderer']
      .flatMap(sources)
      .filter((f) => !isTestOnly(f))
      .flatMap((f) =>
        localImports(f)
          .filter(isTestOnly)
          .map((t) => `${f} → ${t}`),
      );
    expect(offenders).toEqual([]);
  });

  it('the checker sees real imports (guards against a regex that matches nothing)', () => {
    expect(localImports('native/myna-card.ts')).toContain('native/jpki/jpki-ap.ts');
  });
});

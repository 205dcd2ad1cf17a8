/**
 * `npm run build`: everything Electron loads, into out/ (what electron-builder packs).
 *
 *   out/renderer/          the two pages (vite.config.ts's renderer build, helper C's)
 *   out/preload/portal.cjs  one CommonJS file per preload: a sandboxed preload can require
 *   out/preload/consent.cjs  only `electron` (electron-anchors §1 "Sandboxed preload")
 *   out/main/index.js      main as one ES module of our own code; every runtime dependency
 *                          (native addons, electron-store, fastify…) loads from node_modules
 *
 *   node scripts/build.ts [--only renderer|preload|main]...
 *
 * Vite 8 (rolldown) does all three. After building it checks its own output: the preloads are
 * single files that require nothing but `electron`, and main imports nothing but the externals
 * and Node's built-ins. Exit 0 built, 1 failed.
 *
 * import.meta.url: a few modules find data files next to their source (resources/demo/*.json,
 * the demo PKI, the Electron-ABI addon folder). Bundled, every module's import.meta.url would be
 * out/main/index.js; so in each of our modules it is rewritten to "where this source file sits,
 * relative to out/main/index.js" — correct in the repository and in a package that keeps the
 * same layout (electron-builder `files` must then include those data folders).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build, type Plugin } from 'vite';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'out');

/** Must stay external: native addons and the stores that import electron themselves. */
export const REQUIRED_EXTERNALS = ['electron', 'pcsclite', 'better-sqlite3', 'electron-store', 'conf'] as const;
export const PRELOADS = ['portal', 'consent'] as const;

/**
 * Main's externals: the required ones plus every runtime dependency of package.json (they are
 * in the packaged node_modules anyway). Bundling them is what breaks: fastify, pino and
 * thread-stream find files and worker scripts through __dirname, which an ES module bundle
 * does not have. So out/main/index.js bundles our own code (electron/, native/, portal/,
 * resources/) and nothing from node_modules.
 */
export function mainExternals(root: string = ROOT): string[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  return [...new Set([...REQUIRED_EXTERNALS, ...Object.keys(pkg.dependencies ?? {})])].sort();
}

const MAIN_EXTERNALS = mainExternals();
const isBuiltin = (id: string) => id.startsWith('node:') || builtinModules.includes(id.split('/')[0] ?? id);
const isExternalMain = (id: string) => isBuiltin(id) || MAIN_EXTERNALS.some((e) => id === e || id.startsWith(`${e}/`));

/** import.meta.url in our own modules → the source file's URL, computed from the bundle's. */
export function sourceUrlPlugin(outFile: string): Plugin {
  const outDir = dirname(outFile);
  return {
    name: 'myna:source-import-meta-url',
    enforce: 'pre',
    transform(code, id) {
      const file = id.split('?')[0] ?? id;
      if (!file.startsWith(ROOT + sep) || file.includes(`${sep}node_modules${sep}`)) return null;
      if (!code.includes('import.meta.url')) return null;
      const rel = relative(outDir, file).split(sep).join('/');
      return {
        code: code.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`),
        map: null,
      };
    },
  };
}

async function buildRenderer(): Promise<void> {
  // vite.config.ts carries the renderer build (root renderer/, two pages, out/renderer).
  await build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
}

async function buildPreload(kind: (typeof PRELOADS)[number]): Promise<void> {
  await build({
    configFile: false,
    root: ROOT,
    logLevel: 'warn',
    mode: 'production',
    publicDir: false,
    build: {
      outDir: join(OUT, 'preload'),
      emptyOutDir: false,
      minify: false,
      sourcemap: false,
      target: 'chrome130',
      lib: { entry: join(ROOT, 'electron', 'preload', `${kind}.ts`), formats: ['cjs'], fileName: () => `${kind}.cjs` },
      rolldownOptions: { external: ['electron'], output: { codeSplitting: false } },
    },
  });
}

async function buildMain(): Promise<void> {
  const outFile = join(OUT, 'main', 'index.js');
  await build({
    configFile: false,
    root: ROOT,
    logLevel: 'warn',
    mode: 'production',
    publicDir: false,
    plugins: [sourceUrlPlugin(outFile)],
    ssr: { target: 'node', noExternal: true, external: [...MAIN_EXTERNALS] },
    build: {
      ssr: join(ROOT, 'electron', 'main', 'index.ts'),
      outDir: dirname(outFile),
      emptyOutDir: true,
      minify: false,
      sourcemap: false,
      // Electron's Node runs ES2023, but Electronegativity (which scans out/) cannot traverse
      // class private fields: lowering them to ES2021 keeps the built main scannable.
      target: 'es2021',
      rolldownOptions: {
        external: (id) => isExternalMain(id),
        output: { format: 'es', entryFileNames: 'index.js', codeSplitting: false },
      },
    },
  });
}

/** The module specifiers a built file imports or requires (string literals only). */
export function importedSpecifiers(code: string): string[] {
  const out = new Set<string>();
  const patterns = [
    /\bimport\s+(?:[^'"`;]*?\s+from\s+)?["']([^"']+)["']/g,
    /\bexport\s+[^'"`;]*?\s+from\s+["']([^"']+)["']/g,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const re of patterns) for (const m of code.matchAll(re)) if (m[1]) out.add(m[1]);
  return [...out].sort();
}

/** Problems with the output (empty when it is what Electron needs). */
export function checkOutput(outDir: string, parts: readonly string[]): string[] {
  const problems: string[] = [];
  if (parts.includes('preload')) {
    const files = existsSync(join(outDir, 'preload')) ? readdirSync(join(outDir, 'preload')) : [];
    const expected = PRELOADS.map((k) => `${k}.cjs`);
    if (JSON.stringify(files.sort()) !== JSON.stringify([...expected].sort())) {
      problems.push(`out/preload holds ${JSON.stringify(files)}, expected exactly ${JSON.stringify(expected)}`);
    }
    for (const f of expected) {
      const p = join(outDir, 'preload', f);
      if (!existsSync(p)) continue;
      const code = readFileSync(p, 'utf8');
      const other = importedSpecifiers(code).filter((s) => s !== 'electron');
      if (other.length > 0)
        problems.push(`out/preload/${f} loads ${other.join(', ')}: a sandboxed preload may load only electron`);
      if (/\bimport\s*[{*"']|\bexport\s+(?:default|const|function|\{)/.test(code)) {
        problems.push(`out/preload/${f} is not CommonJS`);
      }
      if (/ZodError|\$ZodType|_zod\b/.test(code))
        problems.push(`out/preload/${f} bundles zod (it should get the surface only)`);
    }
  }
  if (parts.includes('main')) {
    const p = join(outDir, 'main', 'index.js');
    if (!existsSync(p)) problems.push('out/main/index.js is missing');
    else {
      const bad = importedSpecifiers(readFileSync(p, 'utf8')).filter((s) => !isExternalMain(s));
      if (bad.length > 0)
        problems.push(`out/main/index.js loads ${bad.join(', ')} at run time (not bundled, not an external)`);
      const rest = readdirSync(join(outDir, 'main')).filter((f) => f !== 'index.js');
      if (rest.length > 0) problems.push(`out/main holds more than index.js: ${rest.join(', ')}`);
    }
  }
  if (parts.includes('renderer')) {
    for (const page of ['index.html', 'consent.html']) {
      if (!existsSync(join(outDir, 'renderer', page))) problems.push(`out/renderer/${page} is missing`);
    }
  }
  return problems;
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { only: { type: 'string', multiple: true } } });
  const parts = values.only?.length ? values.only : ['renderer', 'preload', 'main'];
  for (const p of parts) {
    if (!['renderer', 'preload', 'main'].includes(p)) {
      console.error(`build: unknown part ${p} (renderer, preload, main)`);
      return 1;
    }
  }
  const started = performance.now();
  try {
    if (parts.includes('renderer')) await buildRenderer();
    if (parts.includes('preload')) {
      for (const kind of PRELOADS) await buildPreload(kind);
    }
    if (parts.includes('main')) await buildMain();
  } catch (e) {
    console.error('build failed:', e instanceof Error ? e.message : e);
    return 1;
  }
  const problems = checkOutput(OUT, parts);
  for (const p of problems) console.error(`build: ${p}`);
  if (problems.length > 0) return 1;
  console.log(`build: ${parts.join(', ')} → out/ in ${Math.round(performance.now() - started)} ms`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  process.exitCode = await main(process.argv.slice(2));
}

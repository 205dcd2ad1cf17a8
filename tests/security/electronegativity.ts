/**
 * Electronegativity (doyensec, electron-anchors §2.1) over the app's Electron code, as a gate:
 *
 *   node tests/security/electronegativity.ts [--json] [--self-test] [path…]
 *
 * Scans electron/, renderer/ and, when built, out/ (or the paths given). Prints each finding
 * (check id, severity/confidence, file:line:column, description) and exits 1 on any finding or
 * any file it could not parse (an unparsed file is an unscanned file); exits 0 with a summary
 * line otherwise. --json prints the report as JSON instead (same exit codes). --self-test scans
 * a planted `nodeIntegration: true` and succeeds only if it is reported.
 *
 * A finding that a reviewer has examined and accepts is silenced where it occurs, with
 * Electronegativity's own directive on the SAME line as the flagged code (or, for the whole
 * file, on line 1). Write it so that it survives bundling into out/:
 *   JS/TS: `preload: /* eng-disable PRELOAD_JS_CHECK @preserve (why it is fine) *\/ path,`
 *          — `/*` or `//`, then `eng-disable` and check ids (`/**` and `/*!` do not match its
 *          pattern); `@preserve` makes it a legal comment, which Vite/rolldown keep in place
 *          when the comment leads an expression (checked with Vite 8 / rolldown 1.2).
 *   HTML:  `<meta http-equiv="Content-Security-Policy" …><!-- eng-disable CSP_GLOBAL_CHECK -->`
 *          (only check ids inside: put the reason in another comment).
 * Global "missing" findings (no CSP, no navigation limits, no permission handler anywhere) have
 * no line to silence: they go away only when the code does what they ask.
 *
 * How it is called (its CLI never exits non-zero on findings): the package's `main`
 * (dist/runner.js) IS the run function — `require('@doyensec/electronegativity')` returns
 * `async run(options, forCli = false)`, not an object with `.run`. dist/index.js (the CLI) parses
 * arguments with commander and calls it with { input, output, isSarif, customScan,
 * excludeFromScan (lower-case check names), severitySet, confidenceSet, isRelative, isVerbose,
 * electronUpgrade, electronVersionOverride, parserPlugins }; with forCli false it returns
 * { globalChecks, atomicChecks, errors, issues }.
 *
 * Offline: AvailableSecurityFixesGlobalCheck downloads Electron's release list, so it is
 * excluded; and dist/locales/i18n.js fetches translations from S3 on every run (1 s timeout,
 * then a fallback), so it is replaced, before the runner loads it, by the same i18n set-up
 * without the fetch. Any other connection attempt during the scan is refused and reported.
 *
 * Its directory loader skips node_modules and reads only .js/.jsx/.ts/.tsx/.html/.htm and
 * package.json, so the inputs are first copied to a scratch folder with .cjs/.mjs renamed to
 * .js (the preloads are out/preload/*.cjs) and test files left out (they are not shipped, and
 * some plant insecure settings on purpose); findings are mapped back to the original paths.
 * A JavaScript file its JS path cannot walk (class private fields in a bundle) is scanned again
 * through its TypeScript path.
 */
import dns from 'node:dns';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The Electron app: main, preloads and IPC (electron/), the renderer pages and their source
 * (renderer/), and the build (out/). The CSP is a response header set by the app:// handler
 * (electron/main/protocol), not a meta tag in the pages.
 */
export const DEFAULT_INPUTS = ['electron', 'renderer', 'out'] as const;

/** Checks that need the network (the only one: it downloads Electron's release data). */
export const EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck'] as const;

export interface Finding {
  id: string;
  /** Repository-relative (or absolute, outside the repository) path of the original file. */
  file: string;
  line: number;
  column: number;
  severity: string;
  confidence: string;
  /** Electronegativity marks some findings "review required" rather than definite. */
  manualReview: boolean;
  description: string;
  url: string;
  /** For CSP_GLOBAL_CHECK: the policy and what Google's CSP Evaluator (the check's engine) says of it. */
  detail?: string[];
}

export interface ScanReport {
  findings: Finding[];
  /** Files the parser could not read (not tolerable) or read with warnings (tolerable). */
  errors: { file: string; message: string; tolerable: boolean }[];
  /** Network connections the scan attempted (always refused). */
  networkAttempts: string[];
  checks: { global: number; atomic: number };
  files: number;
}

interface RawIssue {
  id: string;
  file: string;
  location: { line: number; column: number };
  severity: { name: string };
  confidence: { name: string };
  manualReview: boolean;
  description: string;
  shortenedURL: string;
  sample?: string;
}

interface RunOptions {
  input: string;
  customScan: string[];
  excludeFromScan: string[];
  electronVersionOverride?: string;
  isRelative: boolean;
  isVerbose: boolean;
  parserPlugins: string[];
}

type Run = (
  options: RunOptions,
  forCli: false,
) => Promise<{
  globalChecks: number;
  atomicChecks: number;
  errors: { file: string; message: string; tolerable: boolean }[];
  issues: RawIssue[];
}>;

const projectRequire = createRequire(join(ROOT, 'package.json'));

/**
 * Loads the runner with dist/locales/i18n.js replaced by an offline twin: the original's
 * `i18n.configure(...)` with the bundled en-US/es-ES/fr-FR files, minus the S3 fetch.
 */
function loadRunner(): Run {
  const runnerPath = projectRequire.resolve('@doyensec/electronegativity');
  const engRequire = createRequire(runnerPath);
  const i18nPath = engRequire.resolve('./locales/i18n.js');
  if (!engRequire.cache[i18nPath]) {
    const i18n = engRequire('i18n') as { configure(o: object): void; setLocale(l: string): void };
    const offline = () => {
      i18n.configure({
        locales: ['en-US', 'es-ES', 'fr-FR'],
        defaultLocale: 'en-US',
        directory: dirname(i18nPath),
        updateFiles: false,
        objectNotation: true,
        retryInDefaultLocale: true,
        register: globalThis,
      });
      i18n.setLocale('en-US');
      return Promise.resolve();
    };
    const Module = engRequire('node:module') as {
      new (id: string): { exports: unknown; loaded: boolean; filename: string };
    };
    const mod = new Module(i18nPath);
    mod.filename = i18nPath;
    mod.exports = offline;
    mod.loaded = true;
    engRequire.cache[i18nPath] = mod as unknown as NodeJS.Module;
  }
  return engRequire(runnerPath) as Run;
}

/** The CSP Evaluator's reasons (severity MEDIUM_MAYBE or worse, as CSPGlobalCheck counts them). */
function cspReasons(policy: string): string[] {
  const engRequire = createRequire(projectRequire.resolve('@doyensec/electronegativity'));
  const csp = engRequire('@doyensec/csp-evaluator') as {
    CspParser: new (p: string) => { csp: unknown };
    CspEvaluator: new (
      c: unknown,
      v: unknown,
    ) => { evaluate(): { severity: number; directive: string; description: string }[] };
    Version: { CSP3: unknown };
    severities: Record<string, number>;
  };
  const limit = csp.severities.MEDIUM_MAYBE ?? 50;
  return new csp.CspEvaluator(new csp.CspParser(policy).csp, csp.Version.CSP3)
    .evaluate()
    .filter((f) => f.severity <= limit)
    .map((f) => `${f.directive}: ${f.description}`);
}

/** Refuses every TCP connection and DNS lookup until the returned function is called. */
function refuseNetwork(attempts: string[]): () => void {
  const proto = net.Socket.prototype;
  const origConnect = proto.connect;
  const origLookup = dns.lookup;
  const origPromisesLookup = dns.promises.lookup;
  const refuse = (what: string) => {
    attempts.push(what);
    return Object.assign(new Error(`electronegativity scan: network access refused (${what})`), {
      code: 'ENETUNREACH',
    });
  };
  proto.connect = function (this: net.Socket, ...args: unknown[]) {
    const [first] = args;
    const target =
      typeof first === 'object' && first !== null
        ? `${(first as { host?: string }).host ?? (first as { path?: string }).path ?? '?'}:${(first as { port?: number }).port ?? ''}`
        : String(first);
    const err = refuse(`connect ${target}`);
    process.nextTick(() => this.destroy(err));
    return this;
  } as typeof proto.connect;
  dns.lookup = ((host: string, ...rest: unknown[]) => {
    const cb = rest.at(-1) as (err: Error) => void;
    const err = refuse(`dns ${host}`);
    process.nextTick(() => cb(err));
  }) as typeof dns.lookup;
  dns.promises.lookup = ((host: string) => Promise.reject(refuse(`dns ${host}`))) as typeof dns.promises.lookup;
  return () => {
    proto.connect = origConnect;
    dns.lookup = origLookup;
    dns.promises.lookup = origPromisesLookup;
  };
}

/** Test files and test-only helpers (same rule as tests/unit/layering.test.ts): not shipped. */
function isTestOnly(file: string): boolean {
  return /\.test\.[cm]?[jt]sx?$|(^|[\\/])test-(support|fixtures|profile)\.ts$/.test(file);
}

const SCANNED = new Set(['.js', '.jsx', '.ts', '.tsx', '.html', '.htm']);
const RENAMED: Record<string, string> = { '.cjs': '.js', '.mjs': '.js', '.cts': '.ts', '.mts': '.ts' };

/** Copies what Electronegativity should read into `stage`; returns staged path → original path. */
function stageInputs(inputs: string[], stage: string, asTypeScript: ReadonlySet<string>): Map<string, string> {
  const map = new Map<string, string>();
  const add = (file: string, index: number) => {
    const ext = extname(file).toLowerCase();
    const target = asTypeScript.has(file) ? '.ts' : (RENAMED[ext] ?? (SCANNED.has(ext) ? ext : undefined));
    if (!target || isTestOnly(file)) return;
    const rel = relative(inputs[index]!, file) || file.split(/[\\/]/).at(-1)!;
    const staged = join(stage, String(index), rel.slice(0, rel.length - ext.length) + target);
    if (map.has(staged)) throw new Error(`two inputs stage to the same file: ${file}`);
    mkdirSync(dirname(staged), { recursive: true });
    copyFileSync(file, staged);
    map.set(staged, file);
  };
  const walk = (path: string, index: number) => {
    const st = statSync(path);
    if (!st.isDirectory()) return add(path, index);
    for (const entry of readdirSync(path)) {
      if (entry === 'node_modules' || entry.startsWith('.')) continue;
      walk(join(path, entry), index);
    }
  };
  inputs.forEach((input, i) => {
    walk(input, i);
  });
  return map;
}

function electronVersion(): string | undefined {
  const file = join(ROOT, 'node_modules', 'electron', 'package.json');
  // Read as data: require('electron') would try to download the Electron binary (since v42).
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version : undefined;
}

function display(file: string): string {
  const rel = relative(ROOT, file);
  return rel.startsWith('..') ? file : rel;
}

/** Runs Electronegativity over the given files or directories. */
export async function scan(inputs: string[]): Promise<ScanReport> {
  const absolute = inputs.map((i) => resolve(i));
  for (const i of absolute) if (!existsSync(i)) throw new Error(`no such file or directory: ${i}`);
  const networkAttempts: string[] = [];
  const restore = refuseNetwork(networkAttempts);
  try {
    const run = loadRunner();
    let report = await scanOnce(run, absolute, new Set());
    // Its JavaScript path (esprima, then babel walked with estraverse) stops at syntax newer than
    // it knows, e.g. class private fields in a bundle ("Unknown node type ClassPrivateProperty");
    // its TypeScript path (babel, walked with ESLint's traverser) reads them. So a JavaScript file
    // it could not parse is scanned again as TypeScript, in a second run over everything (the
    // global checks see all files together).
    const retry = new Set(
      report.errors.filter((e) => !e.tolerable && /\.[cm]?js$/i.test(e.absolute)).map((e) => e.absolute),
    );
    if (retry.size > 0) report = await scanOnce(run, absolute, retry);
    return {
      findings: report.findings,
      errors: report.errors.map(({ absolute: _, ...e }) => e),
      networkAttempts,
      checks: report.checks,
      files: report.files,
    };
  } finally {
    restore();
  }
}

async function scanOnce(
  run: Run,
  inputs: string[],
  asTypeScript: ReadonlySet<string>,
): Promise<
  Omit<ScanReport, 'networkAttempts' | 'errors'> & { errors: (ScanReport['errors'][number] & { absolute: string })[] }
> {
  const stage = mkdtempSync(join(tmpdir(), 'electronegativity-'));
  try {
    const staged = stageInputs(inputs, stage, asTypeScript);
    const original = (f: string) => display(staged.get(f) ?? f);
    const version = electronVersion();
    const result = await run(
      {
        input: stage,
        customScan: [],
        excludeFromScan: EXCLUDED_CHECKS.map((c) => c.toLowerCase()),
        ...(version ? { electronVersionOverride: version } : {}),
        isRelative: false,
        isVerbose: true,
        parserPlugins: [],
      },
      false,
    );
    const findings = result.issues
      .map(
        (i): Finding => ({
          id: i.id,
          file: original(i.file),
          line: i.location.line,
          column: i.location.column,
          severity: i.severity.name,
          confidence: i.confidence.name,
          manualReview: Boolean(i.manualReview),
          description: i.description,
          url: i.shortenedURL,
          ...(i.id === 'CSP_GLOBAL_CHECK' && i.sample
            ? { detail: [`policy: ${i.sample}`, ...cspReasons(i.sample)] }
            : {}),
        }),
      )
      .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.id.localeCompare(b.id));
    return {
      findings,
      errors: result.errors.map((e) => ({ ...e, file: original(e.file), absolute: staged.get(e.file) ?? e.file })),
      checks: { global: result.globalChecks, atomic: result.atomicChecks },
      files: staged.size,
    };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

/** Whether the report must fail the gate. */
export function failed(report: ScanReport): boolean {
  return report.findings.length > 0 || report.errors.some((e) => !e.tolerable) || report.networkAttempts.length > 0;
}

export function formatReport(report: ScanReport): string {
  const lines: string[] = [];
  for (const f of report.findings) {
    const where = f.file === 'N/A' ? '(whole application)' : `${f.file}:${f.line}:${f.column}`;
    lines.push(
      `${f.id} [${f.severity}/${f.confidence}${f.manualReview ? ', review required' : ''}] ${where}`,
      `    ${f.description.replace(/\s+/g, ' ').trim()} (${f.url})`,
      ...(f.detail ?? []).map((d) => `      ${d}`),
    );
  }
  for (const e of report.errors) {
    lines.push(`${e.tolerable ? 'parse warning' : 'PARSE ERROR (file not scanned)'}: ${e.file}: ${e.message}`);
  }
  for (const a of report.networkAttempts) lines.push(`NETWORK ATTEMPT (refused): ${a}`);
  const unparsed = report.errors.filter((e) => !e.tolerable).length;
  lines.push(
    `electronegativity: ${report.findings.length} finding(s), ${unparsed} unparsed file(s) in ${report.files} file(s) ` +
      `(${report.checks.global} global + ${report.checks.atomic} atomic checks; excluded: ${EXCLUDED_CHECKS.join(', ')})`,
  );
  return lines.join('\n');
}

/** The planted case for --self-test and tests/unit/electronegativity.test.ts. */
export const PLANTED = `const { BrowserWindow } = require('electron');
const win = new BrowserWindow({ webPreferences: { nodeIntegration: true } });
win.loadURL('https://example.org');
`;

async function selfTest(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'electronegativity-self-test-'));
  try {
    const file = join(dir, 'main.cjs');
    writeFileSync(file, PLANTED);
    const report = await scan([dir]);
    const hit = report.findings.find((f) => f.id === 'NODE_INTEGRATION_JS_CHECK' && f.line === 2);
    console.log(formatReport(report));
    console.log(
      hit
        ? 'self-test: planted nodeIntegration: true was reported'
        : 'self-test FAILED: the planted issue was not reported',
    );
    return hit && report.networkAttempts.length === 0 ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      'self-test': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log('usage: node tests/security/electronegativity.ts [--json] [--self-test] [path…]');
    console.log('  default paths: electron/ and out/ (when built). Exit 1 on any finding or unparsed file.');
    return 0;
  }
  if (values['self-test']) return selfTest();
  const inputs =
    positionals.length > 0 ? positionals : DEFAULT_INPUTS.map((p) => join(ROOT, p)).filter((p) => existsSync(p));
  const report = await scan(inputs);
  console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
  return failed(report) ? 1 : 0;
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));

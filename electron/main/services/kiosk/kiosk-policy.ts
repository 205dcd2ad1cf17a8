/**
 * What kiosk mode turns off (DESIGN §4 "Kiosk session", electron-anchors §6), as data: main reads
 * it when it builds windows, menus, sessions and the submission path, and tests read the same
 * object, so "kiosk means X is off" is written once.
 *
 * Kiosk terminals at municipal windows serve one walk-up resident after another: nothing of a
 * session may survive it, and nobody at the terminal may reach a debugger.
 */

export interface KioskPolicy {
  /** No on-disk outbox: a signed package holds personal data. Submission is synchronous; a failure is shown, then wiped. */
  readonly outbox: false;
  /** webPreferences.devTools: false (openDevTools becomes impossible). */
  readonly devTools: false;
  /** No application menu and no context menus. */
  readonly menus: false;
  /** Only in-memory partitions (no `persist:` prefix), a fresh one per resident session. */
  readonly persistentPartitions: false;
  /** before-input-event swallows reload, zoom and devtools accelerators. */
  readonly reloadShortcuts: false;
  readonly zoomShortcuts: false;
  /** shell.openExternal is refused entirely. */
  readonly openExternal: false;
  /** Electron's `kiosk: true` window option (fullscreen; not a lockdown on its own, §6). */
  readonly kioskWindow: true;
  /** The app refuses to start in kiosk mode when one of these switches is present. */
  readonly refusedSwitches: readonly string[];
}

const POLICY: KioskPolicy = Object.freeze({
  outbox: false,
  devTools: false,
  menus: false,
  persistentPartitions: false,
  reloadShortcuts: false,
  zoomShortcuts: false,
  openExternal: false,
  kioskWindow: true,
  refusedSwitches: Object.freeze([
    'remote-debugging-port',
    'remote-debugging-pipe',
    'inspect',
    'inspect-brk',
    'inspect-port',
    'inspect-wait',
    'no-sandbox',
    'disable-web-security',
    'disable-site-isolation-trials',
    'ignore-certificate-errors',
  ]),
} as const);

export function kioskPolicy(): KioskPolicy {
  return POLICY;
}

/** The in-memory partition of the n-th kiosk session: never `persist:`, never reused. */
export function kioskPartition(sessionId: number): string {
  if (!Number.isSafeInteger(sessionId) || sessionId < 1) throw new RangeError('sessionId must be a positive integer');
  return `kiosk-session-${sessionId}`;
}

export function isPersistentPartition(partition: string): boolean {
  return partition.startsWith('persist:');
}

export interface LaunchContext {
  /** process.argv (Chromium switches) */
  argv: readonly string[];
  /** process.execArgv (Node's own --inspect…) */
  execArgv?: readonly string[];
  /** process.env (NODE_OPTIONS can carry --inspect; ELECTRON_RUN_AS_NODE turns the app into plain Node) */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The reasons a kiosk must refuse to start, [] when none. Chromium accepts `--switch`, `-switch`
 * and (on Windows) `/switch`, any case on Windows, with or without `=value`: all are matched.
 * Over-matching is acceptable here (the operator fixes the shortcut); under-matching is not.
 */
export function kioskLaunchProblems(ctx: LaunchContext): string[] {
  const refused = new Set(POLICY.refusedSwitches);
  const problems: string[] = [];
  const check = (arg: string, where: string) => {
    const m = /^(?:--?|\/)([A-Za-z][A-Za-z0-9-]*)(?:=.*)?$/s.exec(arg);
    const name = m?.[1]?.toLowerCase();
    if (name !== undefined && refused.has(name)) problems.push(`${where}: --${name}`);
  };
  for (const a of ctx.argv.slice(1)) check(a, 'argv');
  for (const a of ctx.execArgv ?? []) check(a, 'execArgv');
  const nodeOptions = ctx.env?.NODE_OPTIONS;
  if (nodeOptions) for (const a of nodeOptions.split(/\s+/)) if (a) check(a, 'NODE_OPTIONS');
  const runAsNode = ctx.env?.ELECTRON_RUN_AS_NODE;
  if (runAsNode !== undefined && runAsNode !== '' && runAsNode !== '0') problems.push('env: ELECTRON_RUN_AS_NODE');
  return problems;
}

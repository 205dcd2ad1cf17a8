/**
 * Command-line switches that open the app to another program (electron-anchors §2.2: no fuse
 * blocks them): a debugger port, a Node inspector, a renderer without its sandbox or without
 * web security. In kiosk mode and in a packaged (production) app, main refuses to start when
 * one is present — in argv, in what Chromium reports through `app.commandLine.hasSwitch`, in
 * Node's execArgv or NODE_OPTIONS — or when ELECTRON_RUN_AS_NODE turns the app into plain Node.
 * The one place that parses them; kiosk and production share the list.
 */

/** Switch names as Chromium/Node spell them (lower-case, without dashes). */
const REFUSED_SWITCHES: readonly string[] = Object.freeze([
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
]);

export function refusedSwitches(): readonly string[] {
  return REFUSED_SWITCHES;
}

/** The switch name of one argv entry (`--inspect=9229` → `inspect`), or undefined for a non-switch. */
function switchName(arg: string, platform: NodeJS.Platform): string | undefined {
  // Chromium accepts `--x` and `-x` everywhere and `/x` on Windows; names are case-insensitive there.
  let body: string;
  if (arg.startsWith('--')) body = arg.slice(2);
  else if (arg.startsWith('-') && arg.length > 1) body = arg.slice(1);
  else if (platform === 'win32' && arg.startsWith('/') && arg.length > 1) body = arg.slice(1);
  else return undefined;
  const eq = body.indexOf('=');
  return (eq === -1 ? body : body.slice(0, eq)).toLowerCase();
}

/**
 * The refused switches in `argv` (process.argv, executable first) and, when given, those
 * Chromium reports through `app.commandLine.hasSwitch` (which also sees switches that reached
 * it another way). Over-matching is fine (the operator fixes the shortcut); under-matching is
 * not, so a `--` terminator does not hide what follows it.
 */
export function forbiddenSwitches(
  argv: readonly string[],
  hasSwitch?: (name: string) => boolean,
  platform: NodeJS.Platform = process.platform,
): string[] {
  const list = refusedSwitches();
  const found = new Set<string>();
  for (const arg of argv.slice(1)) {
    const name = switchName(arg, platform);
    if (name !== undefined && list.includes(name)) found.add(name);
  }
  if (hasSwitch) for (const s of list) if (hasSwitch(s)) found.add(s);
  return list.filter((s) => found.has(s));
}

export interface LaunchCheck {
  argv: readonly string[];
  execArgv?: readonly string[];
  env?: Readonly<Record<string, string | undefined>>;
  /** `app.commandLine.hasSwitch`. */
  hasSwitch?: (name: string) => boolean;
  platform?: NodeJS.Platform;
  kiosk: boolean;
  /** A packaged app (`app.isPackaged`) that is not a developer's build. */
  production: boolean;
}

export interface LaunchRefusal {
  /** `--inspect`, `NODE_OPTIONS: --inspect`, `env: ELECTRON_RUN_AS_NODE`, … */
  problems: string[];
  message: { ja: string; en: string };
}

/** Why the app must not start (undefined: it may). Development builds are never refused. */
export function launchRefusal(check: LaunchCheck): LaunchRefusal | undefined {
  if (!check.kiosk && !check.production) return undefined;
  const platform = check.platform ?? process.platform;
  const problems = new Set(forbiddenSwitches(check.argv, check.hasSwitch, platform).map((s) => `--${s}`));
  // Node's own options: execArgv has no executable in front, NODE_OPTIONS is one string.
  for (const s of forbiddenSwitches(['', ...(check.execArgv ?? [])], undefined, platform)) {
    problems.add(`execArgv: --${s}`);
  }
  const nodeOptions = check.env?.NODE_OPTIONS?.split(/\s+/).filter((a) => a !== '') ?? [];
  for (const s of forbiddenSwitches(['', ...nodeOptions], undefined, platform)) problems.add(`NODE_OPTIONS: --${s}`);
  const runAsNode = check.env?.ELECTRON_RUN_AS_NODE;
  if (runAsNode !== undefined && runAsNode !== '' && runAsNode !== '0') problems.add('env: ELECTRON_RUN_AS_NODE');
  if (problems.size === 0) return undefined;
  const list = [...problems].join(', ');
  const where = check.kiosk ? { ja: 'キオスクモード', en: 'kiosk mode' } : { ja: '製品版', en: 'a production build' };
  return {
    problems: [...problems],
    message: {
      ja: `${where.ja}では、デバッグやサンドボックス解除の指定（${list}）があると起動できません。これらを外して起動し直してください。`,
      en: `In ${where.en} the app does not start with debugging or sandbox-disabling options (${list}). Remove them and start it again.`,
    },
  };
}

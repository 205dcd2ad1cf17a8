/**
 * Start-up check for the PC/SC stack on Linux (electron-anchors §5 "Linux"). The deb package
 * depends on pcscd and libpcsclite1, but an AppImage has no dependency mechanism, so the app
 * looks for the two things pcsclite needs before it talks to a reader:
 * - libpcsclite.so.1, which the pcsclite addon links against (without it the addon cannot load);
 * - the pcscd socket (/run/pcscd/pcscd.comm, or $PCSCLITE_CSOCK_NAME as libpcsclite honours it),
 *   which exists while pcscd runs or while systemd's pcscd.socket waits to start it.
 * Windows (WinSCard) and macOS (CryptoTokenKit/PCSC.framework) ship their smart-card service
 * with the OS: nothing to check there.
 *
 * Pure: the caller passes the platform, a file-exists probe and the environment; the main
 * process calls it at start-up and shows the message (the portal still works with the card
 * emulator in demo mode; only real readers need pcscd).
 */

export type PcscdCheckResult =
  | { ok: true }
  | { ok: false; missing: PcscdMissing[]; message: { ja: string; en: string } };

export type PcscdMissing = 'libpcsclite' | 'pcscd-socket';

export interface PcscdCheckInput {
  platform: NodeJS.Platform | string;
  exists: (path: string) => boolean;
  env: Readonly<Record<string, string | undefined>>;
}

/** pcsc-lite's default socket (configure --enable-ipcdir=/run/pcscd on Debian, Fedora, Arch…). */
export const DEFAULT_PCSCD_SOCKET = '/run/pcscd/pcscd.comm';
/** Older systems without /run: /var/run/pcscd (usually a symlink to /run nowadays). */
const LEGACY_PCSCD_SOCKET = '/var/run/pcscd/pcscd.comm';

export const LIBPCSCLITE = 'libpcsclite.so.1';

/** The usual library directories: Debian/Ubuntu multiarch, Fedora/openSUSE lib64, Arch and /usr/local. */
export const LIBRARY_DIRS: readonly string[] = [
  '/usr/lib/x86_64-linux-gnu',
  '/lib/x86_64-linux-gnu',
  '/usr/lib/aarch64-linux-gnu',
  '/lib/aarch64-linux-gnu',
  '/usr/lib/arm-linux-gnueabihf',
  '/lib/arm-linux-gnueabihf',
  '/usr/lib64',
  '/lib64',
  '/usr/lib',
  '/lib',
  '/usr/local/lib',
];

function socketPaths(env: PcscdCheckInput['env']): string[] {
  const custom = env.PCSCLITE_CSOCK_NAME?.trim();
  // libpcsclite uses PCSCLITE_CSOCK_NAME instead of the default, not in addition to it.
  return custom ? [custom] : [DEFAULT_PCSCD_SOCKET, LEGACY_PCSCD_SOCKET];
}

function libraryDirs(env: PcscdCheckInput['env']): string[] {
  const fromEnv = (env.LD_LIBRARY_PATH ?? '').split(':').filter((d) => d.startsWith('/'));
  return [...fromEnv, ...LIBRARY_DIRS];
}

const INSTALL_EN = [
  'Debian/Ubuntu: sudo apt install pcscd libpcsclite1',
  'Fedora: sudo dnf install pcsc-lite',
  'then: sudo systemctl enable --now pcscd.socket',
];
const INSTALL_JA = [
  'Debian/Ubuntu: sudo apt install pcscd libpcsclite1',
  'Fedora: sudo dnf install pcsc-lite',
  'その後: sudo systemctl enable --now pcscd.socket',
];

function message(missing: PcscdMissing[], sockets: string[]): { ja: string; en: string } {
  const lib = missing.includes('libpcsclite');
  const socket = missing.includes('pcscd-socket');
  const where = sockets.join(', ');
  const en: string[] = [];
  const ja: string[] = [];
  if (lib) {
    en.push(`The PC/SC library (${LIBPCSCLITE}) is not installed, so the app cannot use card readers.`);
    ja.push(`PC/SC ライブラリ（${LIBPCSCLITE}）がインストールされていないため、カードリーダーを使えません。`);
  }
  if (socket) {
    en.push(`The PC/SC service pcscd is not running (no socket at ${where}).`);
    ja.push(`PC/SC サービス pcscd が動いていません（${where} にソケットがありません）。`);
  }
  if (lib) {
    en.push('Install it and start the service:', ...INSTALL_EN.map((l) => `  ${l}`));
    ja.push('次のようにインストールしてサービスを起動してください:', ...INSTALL_JA.map((l) => `  ${l}`));
  } else {
    en.push(
      'Install and start it:',
      '  Debian/Ubuntu: sudo apt install pcscd',
      '  Fedora: sudo dnf install pcsc-lite',
      '  then: sudo systemctl enable --now pcscd.socket',
    );
    ja.push(
      '次のようにインストールして起動してください:',
      '  Debian/Ubuntu: sudo apt install pcscd',
      '  Fedora: sudo dnf install pcsc-lite',
      '  その後: sudo systemctl enable --now pcscd.socket',
    );
  }
  en.push('Then connect the reader and restart the app.');
  ja.push('その後、カードリーダーを接続してアプリを再起動してください。');
  return { ja: ja.join('\n'), en: en.join('\n') };
}

export function checkPcscdAvailable({ platform, exists, env }: PcscdCheckInput): PcscdCheckResult {
  if (platform !== 'linux') return { ok: true };
  const missing: PcscdMissing[] = [];
  if (!libraryDirs(env).some((d) => exists(`${d}/${LIBPCSCLITE}`))) missing.push('libpcsclite');
  const sockets = socketPaths(env);
  if (!sockets.some((s) => exists(s))) missing.push('pcscd-socket');
  return missing.length === 0 ? { ok: true } : { ok: false, missing, message: message(missing, sockets) };
}

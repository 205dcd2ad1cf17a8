/**
 * Hand-written fakes of the `electron` module for tests in plain Node (DESIGN §9,
 * electron-anchors §4.2 item 1). The vitest `unit` project aliases `electron` to this file, so
 * importing main-process code never reaches node_modules/electron/index.js (which would try to
 * download the binary).
 *
 * The fakes record what the code under test did (options passed, handlers installed, messages
 * sent) and let a test play Electron's part (emit events, invoke handlers). They import nothing
 * from vitest, so a plain Node script can use them too. Call `resetElectronMock()` between tests.
 */
import { EventEmitter } from 'node:events';

// ---------------------------------------------------------------------------------------------
// Events

/** Electron's Event: preventDefault() plus the event's own fields. */
export class FakeEvent {
  defaultPrevented = false;
  preventDefault(): void {
    this.defaultPrevented = true;
  }
  static of<T extends object>(fields: T): FakeEvent & T {
    return Object.assign(new FakeEvent(), fields);
  }
}

// ---------------------------------------------------------------------------------------------
// Frames, webContents, sessions

export class FakeWebFrameMain {
  url: string;
  parent: FakeWebFrameMain | null;
  detached = false;
  private destroyed = false;
  readonly sent: { channel: string; args: unknown[] }[] = [];
  constructor(url = 'about:blank', parent: FakeWebFrameMain | null = null) {
    this.url = url;
    this.parent = parent;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  destroy(): void {
    this.destroyed = true;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
}

export interface WindowOpenDetails {
  url: string;
  frameName?: string;
  features?: string;
  disposition?: string;
}

let nextContentsId = 1;
const allContents = new Map<number, FakeWebContents>();

export class FakeWebContents extends EventEmitter {
  readonly id: number;
  readonly session: FakeSession;
  readonly mainFrame: FakeWebFrameMain;
  readonly sent: { channel: string; args: unknown[] }[] = [];
  readonly loaded: string[] = [];
  windowOpenHandler: ((details: WindowOpenDetails) => { action: 'allow' | 'deny' }) | undefined;
  visualZoomLevelLimits: [number, number] | undefined;
  devToolsOpened = false;
  private destroyed = false;

  constructor(session: FakeSession) {
    super();
    this.id = nextContentsId++;
    this.session = session;
    this.mainFrame = new FakeWebFrameMain();
    allContents.set(this.id, this);
  }
  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    this.sent.push({ channel, args });
  }
  async loadURL(url: string): Promise<void> {
    this.loaded.push(url);
    this.mainFrame.url = url;
  }
  getURL(): string {
    return this.mainFrame.url;
  }
  setWindowOpenHandler(handler: (details: WindowOpenDetails) => { action: 'allow' | 'deny' }): void {
    this.windowOpenHandler = handler;
  }
  async setVisualZoomLevelLimits(min: number, max: number): Promise<void> {
    this.visualZoomLevelLimits = [min, max];
  }
  openDevTools(): void {
    this.devToolsOpened = true;
    this.emit('devtools-opened');
  }
  closeDevTools(): void {
    this.devToolsOpened = false;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.mainFrame.destroy();
    allContents.delete(this.id);
    this.emit('destroyed');
  }
  /** Test helper: what the page would get from window.open(url). */
  openWindow(url: string): { action: 'allow' | 'deny' } | undefined {
    return this.windowOpenHandler?.({ url, frameName: '', features: '', disposition: 'new-window' });
  }
}

export type PermissionRequestHandler = (
  webContents: unknown,
  permission: string,
  callback: (granted: boolean) => void,
  details: { requestingUrl?: string },
) => void;
export type PermissionCheckHandler = (webContents: unknown, permission: string, requestingOrigin: string) => boolean;
type ProtocolHandler = (request: Request) => Response | Promise<Response>;
type BeforeRequestListener = (
  details: { url: string; method?: string },
  callback: (response: { cancel?: boolean }) => void,
) => void;

export class FakeProtocol {
  readonly handlers = new Map<string, ProtocolHandler>();
  readonly privileged: unknown[] = [];
  handle(scheme: string, handler: ProtocolHandler): void {
    if (this.handlers.has(scheme)) throw new Error(`${scheme} is already handled`);
    this.handlers.set(scheme, handler);
  }
  unhandle(scheme: string): void {
    this.handlers.delete(scheme);
  }
  isProtocolHandled(scheme: string): boolean {
    return this.handlers.has(scheme);
  }
  registerSchemesAsPrivileged(schemes: unknown[]): void {
    this.privileged.push(...schemes);
  }
  /** Test helper: what Chromium would get for this request. */
  async fetch(input: string | Request, init?: RequestInit): Promise<Response> {
    const request = typeof input === 'string' ? new Request(input, init) : input;
    const scheme = new URL(request.url).protocol.slice(0, -1);
    const handler = this.handlers.get(scheme);
    if (!handler) throw new Error(`no handler for ${scheme}:`);
    return handler(request);
  }
}

export class FakeSession extends EventEmitter {
  readonly partition: string;
  readonly protocol = new FakeProtocol();
  permissionRequestHandler: PermissionRequestHandler | null = null;
  permissionCheckHandler: PermissionCheckHandler | null = null;
  devicePermissionHandler: ((details: unknown) => boolean) | null = null;
  spellCheckerEnabled = true;
  beforeRequest: BeforeRequestListener | undefined;
  /** Calls to clearData/clearCache/clearAuthCache/clearStorageData, in order. */
  readonly cleared: string[] = [];
  readonly webRequest = {
    onBeforeRequest: (listener: BeforeRequestListener | null) => {
      this.beforeRequest = listener ?? undefined;
    },
  };
  constructor(partition: string) {
    super();
    this.partition = partition;
  }
  setPermissionRequestHandler(h: PermissionRequestHandler | null): void {
    this.permissionRequestHandler = h;
  }
  setPermissionCheckHandler(h: PermissionCheckHandler | null): void {
    this.permissionCheckHandler = h;
  }
  setDevicePermissionHandler(h: ((details: unknown) => boolean) | null): void {
    this.devicePermissionHandler = h;
  }
  setSpellCheckerEnabled(enabled: boolean): void {
    this.spellCheckerEnabled = enabled;
  }
  isPersistent(): boolean {
    return this.partition.startsWith('persist:');
  }
  getStoragePath(): string | null {
    return this.isPersistent() ? `/fake/Partitions/${this.partition.slice(8)}` : null;
  }
  async clearData(): Promise<void> {
    this.cleared.push('clearData');
  }
  async clearCache(): Promise<void> {
    this.cleared.push('clearCache');
  }
  async clearAuthCache(): Promise<void> {
    this.cleared.push('clearAuthCache');
  }
  async clearStorageData(): Promise<void> {
    this.cleared.push('clearStorageData');
  }
  /** Test helper: would the request filter let this URL through? */
  filterRequest(url: string): boolean | undefined {
    let cancel: boolean | undefined;
    this.beforeRequest?.({ url, method: 'GET' }, (r) => {
      cancel = r.cancel;
    });
    return cancel === undefined ? undefined : !cancel;
  }
}

const partitions = new Map<string, FakeSession>();
let defaultSession = new FakeSession('');

export const session = {
  fromPartition(partition: string): FakeSession {
    let s = partitions.get(partition);
    if (!s) {
      s = new FakeSession(partition);
      partitions.set(partition, s);
    }
    return s;
  },
  get defaultSession(): FakeSession {
    return defaultSession;
  },
  /** Test helper. */
  all(): FakeSession[] {
    return [...partitions.values()];
  },
};

export const webContents = {
  fromId: (id: number): FakeWebContents | undefined => allContents.get(id),
  getAllWebContents: (): FakeWebContents[] => [...allContents.values()],
};

// ---------------------------------------------------------------------------------------------
// Windows

const allWindows: FakeBrowserWindow[] = [];

export interface FakeWindowOptions {
  webPreferences?: { partition?: string; [key: string]: unknown };
  parent?: FakeBrowserWindow;
  [key: string]: unknown;
}

export class FakeBrowserWindow extends EventEmitter {
  static getAllWindows(): FakeBrowserWindow[] {
    return allWindows.filter((w) => !w.isDestroyed());
  }
  static fromWebContents(contents: FakeWebContents): FakeBrowserWindow | null {
    return allWindows.find((w) => w.webContents === contents) ?? null;
  }

  readonly options: FakeWindowOptions;
  readonly webContents: FakeWebContents;
  contentProtection = false;
  menuRemoved = false;
  visible = false;
  focused = 0;
  kiosk: boolean;
  private destroyed = false;

  constructor(options: FakeWindowOptions = {}) {
    super();
    this.options = options;
    const partition = options.webPreferences?.partition;
    this.webContents = new FakeWebContents(
      partition === undefined ? session.defaultSession : session.fromPartition(partition),
    );
    this.kiosk = options.kiosk === true;
    allWindows.push(this);
    mock.created.push(this);
  }
  loadURL(url: string): Promise<void> {
    return this.webContents.loadURL(url);
  }
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  focus(): void {
    this.focused++;
  }
  setContentProtection(enable: boolean): void {
    this.contentProtection = enable;
  }
  removeMenu(): void {
    this.menuRemoved = true;
  }
  setMenu(menu: unknown): void {
    this.menuRemoved = menu === null;
  }
  setKiosk(flag: boolean): void {
    this.kiosk = flag;
  }
  getParentWindow(): FakeBrowserWindow | null {
    return this.options.parent ?? null;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isVisible(): boolean {
    return this.visible;
  }
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  close(): void {
    if (this.destroyed) return;
    const e = new FakeEvent();
    this.emit('close', e);
    if (!e.defaultPrevented) this.destroy();
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.webContents.destroy();
    this.emit('closed');
  }
}

export const BrowserWindow = FakeBrowserWindow;

// ---------------------------------------------------------------------------------------------
// IPC

export class FakeIpcMain extends EventEmitter {
  readonly handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  handle(channel: string, fn: (event: unknown, ...args: unknown[]) => unknown): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, fn);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** Test helper: what ipcRenderer.invoke(channel, ...args) from `event`'s sender would get. */
  async invoke(channel: string, event: unknown, ...args: unknown[]): Promise<unknown> {
    const fn = this.handlers.get(channel);
    if (!fn) throw new Error(`No handler registered for '${channel}'`);
    return fn(event, ...args);
  }
}

export const ipcMain = new FakeIpcMain();

/** Test helper: an IpcMainInvokeEvent from a frame of a webContents. */
export function invokeEvent(
  contents: FakeWebContents,
  frame: FakeWebFrameMain | null = contents.mainFrame,
): { sender: FakeWebContents; senderFrame: FakeWebFrameMain | null; processId: number; frameId: number } {
  return { sender: contents, senderFrame: frame, processId: 1, frameId: 1 };
}

export class FakeIpcRenderer extends EventEmitter {
  readonly invoked: { channel: string; args: unknown[] }[] = [];
  /** What invoke() answers; tests replace it. */
  respond: (channel: string, ...args: unknown[]) => unknown = () => ({ ok: true, value: {} });
  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invoked.push({ channel, args });
    return this.respond(channel, ...args);
  }
  send(channel: string, ...args: unknown[]): void {
    this.invoked.push({ channel, args });
  }
  /** Test helper: main sends `payload` on `channel`; listeners get an IpcRendererEvent first, as in Electron. */
  deliver(channel: string, payload: unknown): void {
    const event = { sender: this, senderId: 0, ports: [] };
    this.emit(channel, event, payload);
  }
}

export const ipcRenderer = new FakeIpcRenderer();

export const contextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld(key: string, api: unknown): void {
    if (this.exposed.has(key))
      throw new Error(`Cannot bind an API on top of an existing property on the window object: ${key}`);
    this.exposed.set(key, api);
  },
  exposeInIsolatedWorld(): void {
    throw new Error('not used by this app');
  },
};

// ---------------------------------------------------------------------------------------------
// App, shell, menus, dialogs, power monitor, net

class FakeCommandLine {
  switches = new Map<string, string>();
  appended: string[] = [];
  hasSwitch(name: string): boolean {
    return this.switches.has(name);
  }
  getSwitchValue(name: string): string {
    return this.switches.get(name) ?? '';
  }
  appendSwitch(name: string, value?: string): void {
    this.appended.push(value === undefined ? name : `${name}=${value}`);
  }
  appendArgument(arg: string): void {
    this.appended.push(arg);
  }
  removeSwitch(name: string): void {
    this.switches.delete(name);
  }
}

export class FakeApp extends EventEmitter {
  commandLine = new FakeCommandLine();
  isPackaged = false;
  sandboxEnabled = false;
  singleInstanceLock = true;
  quitCalls = 0;
  exitCode: number | undefined;
  paths: Record<string, string> = { userData: '/fake/userData', temp: '/tmp', appData: '/fake/appData' };
  /** What app.getAppPath() answers: the folder holding package.json and out/. */
  appPath = process.cwd();
  private readyResolve: (() => void) | undefined;
  private readonly ready = new Promise<void>((r) => {
    this.readyResolve = r;
  });
  private isReadyFlag = false;
  enableSandbox(): void {
    this.sandboxEnabled = true;
  }
  requestSingleInstanceLock(): boolean {
    return this.singleInstanceLock;
  }
  releaseSingleInstanceLock(): void {}
  whenReady(): Promise<void> {
    return this.ready;
  }
  isReady(): boolean {
    return this.isReadyFlag;
  }
  /** Test helper: Electron finished starting. */
  fireReady(): void {
    this.isReadyFlag = true;
    this.readyResolve?.();
    this.emit('ready');
  }
  quit(): void {
    this.quitCalls++;
    const e = new FakeEvent();
    this.emit('before-quit', e);
    if (!e.defaultPrevented) this.emit('will-quit', new FakeEvent());
  }
  exit(code = 0): void {
    this.exitCode = code;
  }
  getPath(name: string): string {
    const p = this.paths[name];
    if (p === undefined) throw new Error(`unknown path ${name}`);
    return p;
  }
  setPath(name: string, value: string): void {
    this.paths[name] = value;
  }
  getAppPath(): string {
    return this.appPath;
  }
  getVersion(): string {
    return '0.0.0-test';
  }
  getName(): string {
    return 'myna-companion';
  }
  getLocale(): string {
    return 'ja';
  }
  setAppUserModelId(): void {}
}

export let app = new FakeApp();

export const shell = {
  opened: [] as string[],
  async openExternal(url: string): Promise<void> {
    this.opened.push(url);
  },
  async openPath(): Promise<string> {
    throw new Error('shell.openPath is not used by this app');
  },
};

export const Menu = {
  applicationMenu: undefined as unknown,
  setApplicationMenu(menu: unknown): void {
    this.applicationMenu = menu;
  },
  getApplicationMenu(): unknown {
    return this.applicationMenu ?? null;
  },
  buildFromTemplate(template: unknown[]): { items: unknown[] } {
    return { items: template };
  },
};

export const dialog = {
  errors: [] as { title: string; content: string }[],
  messages: [] as unknown[],
  showErrorBox(title: string, content: string): void {
    this.errors.push({ title, content });
  },
  async showMessageBox(...args: unknown[]): Promise<{ response: number; checkboxChecked: boolean }> {
    this.messages.push(args.length === 1 ? args[0] : args[1]);
    return { response: 0, checkboxChecked: false };
  },
};

export const powerMonitor = Object.assign(new EventEmitter(), {
  idleSeconds: 0,
  getSystemIdleTime(): number {
    return powerMonitor.idleSeconds;
  },
  getSystemIdleState(threshold: number): 'active' | 'idle' {
    return powerMonitor.idleSeconds >= threshold ? 'idle' : 'active';
  },
});

export const net = {
  fetch: (input: string | Request, init?: RequestInit) => fetch(input, init),
};

export const protocol = new FakeProtocol();

// ---------------------------------------------------------------------------------------------
// Test state

/** Everything created since the last reset, for assertions. */
export const mock = {
  created: [] as FakeBrowserWindow[],
};

export function resetElectronMock(): void {
  for (const w of allWindows.splice(0)) if (!w.isDestroyed()) w.destroy();
  allContents.clear();
  partitions.clear();
  defaultSession = new FakeSession('');
  mock.created.length = 0;
  ipcMain.handlers.clear();
  ipcMain.removeAllListeners();
  ipcRenderer.removeAllListeners();
  ipcRenderer.invoked.length = 0;
  ipcRenderer.respond = () => ({ ok: true, value: {} });
  contextBridge.exposed.clear();
  shell.opened.length = 0;
  Menu.applicationMenu = undefined;
  dialog.errors.length = 0;
  dialog.messages.length = 0;
  powerMonitor.idleSeconds = 0;
  powerMonitor.removeAllListeners();
  protocol.handlers.clear();
  protocol.privileged.length = 0;
  app = new FakeApp();
}

export default {
  app,
  BrowserWindow,
  contextBridge,
  dialog,
  ipcMain,
  ipcRenderer,
  Menu,
  net,
  powerMonitor,
  protocol,
  session,
  shell,
  webContents,
};

/**
 * Electron's transport for the IPC contract (DESIGN §3 "IPC"): one `ipcMain.handle` per invoke
 * channel. Every call first builds the sender's identity from `event.senderFrame` and the
 * registry of windows main created, refuses it with FORBIDDEN_SENDER unless senderProblem()
 * finds nothing (Electron security checklist #17), then dispatches (parse, run, parse).
 * Events go out with webContents.send to our windows of the channel's kind only, and only
 * while they show our app:// origin.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import type { IpcResult } from '../../ipc/result.ts';
import { type Channel, SURFACE } from '../../ipc/surface.ts';
import { parseAppUrl } from '../security/navigation.ts';
import type { WindowRegistry } from '../windows/window-registry.ts';
import { dispatch, type EventHub, type Handlers, type IpcLog } from './dispatch.ts';
import { ipcError } from './error-mapping.ts';
import { type SenderInfo, senderProblem } from './sender.ts';

export interface RegisterIpcOptions {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  handlers: Handlers;
  events: EventHub;
  registry: WindowRegistry;
  appOrigin: string;
  log?: IpcLog;
  /** A refused sender (channel and reason only), for main's log. */
  onRefused?: (channel: Channel, reason: string) => void;
}

/** Reads a property of a frame that may be disposed (WebFrameMain getters throw then). */
function safely<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/** Who is calling, as senderProblem() needs it. */
export function senderInfoOf(
  event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>,
  registry: WindowRegistry,
): SenderInfo {
  const frame = safely(() => event.senderFrame);
  // A frame that navigated away or closed is gone: destroyed, or detached from its tree.
  const gone =
    frame === null ||
    frame === undefined ||
    safely(() => frame.isDestroyed()) !== false ||
    safely(() => frame.detached) !== false;
  const frameUrl = gone ? undefined : safely(() => frame.url);
  const isMainFrame = !gone && safely(() => frame.parent) === null;
  const id = safely(() => event.sender.id);
  return {
    frameUrl: typeof frameUrl === 'string' ? frameUrl : undefined,
    isMainFrame,
    windowKind: typeof id === 'number' ? registry.kindOf(id) : undefined,
  };
}

export function invokeChannels(): Channel[] {
  return (Object.keys(SURFACE) as Channel[]).filter((c) => SURFACE[c].kind === 'invoke');
}

/** Registers every invoke channel and the event fan-out; returns the undo. */
export function registerIpc(options: RegisterIpcOptions): () => void {
  const { ipcMain, handlers, registry, appOrigin } = options;
  const channels = invokeChannels();
  for (const channel of channels) {
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, request: unknown): Promise<IpcResult<unknown>> => {
      const sender = senderInfoOf(event, registry);
      const problem = senderProblem(sender, channel, appOrigin);
      if (problem !== undefined || sender.windowKind === undefined) {
        options.onRefused?.(channel, problem ?? 'not a window of ours');
        return { ok: false, error: ipcError('FORBIDDEN_SENDER') };
      }
      return dispatch(
        handlers,
        channel,
        request,
        { windowKind: sender.windowKind, windowId: String(event.sender.id) },
        options.log,
      );
    });
  }
  const removeSender = options.events.addSender((kind, channel, payload) => {
    for (const contents of registry.ofKind(kind)) {
      const url = safely(() => contents.mainFrame.url);
      if (url === undefined || !parseAppUrl(url, appOrigin)) continue;
      contents.send(channel, payload);
    }
  });
  return () => {
    removeSender();
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}

/**
 * Who may call a channel (Electron security checklist #17): our own app:// page, in the main
 * frame of a window main created, and only the window kind the channel belongs to (a portal
 * page cannot answer its own consent request).
 */
import { type Channel, SURFACE, type WindowKind } from '../../ipc/surface.ts';
import { parseAppUrl } from '../security/navigation.ts';

export interface SenderInfo {
  /** `event.senderFrame.url`; undefined when the frame is gone. */
  frameUrl: string | undefined;
  /** The sender frame is its window's top frame (no parent). */
  isMainFrame: boolean;
  /** The kind of the window main created for this webContents, undefined for any other. */
  windowKind: WindowKind | undefined;
}

/** Why this sender may not use this channel, or undefined when it may. */
export function senderProblem(sender: SenderInfo, channel: Channel, appOrigin: string): string | undefined {
  if (sender.windowKind === undefined) return 'not a window of ours';
  if (SURFACE[channel].window !== sender.windowKind) return `channel belongs to the ${SURFACE[channel].window} window`;
  if (!sender.isMainFrame) return 'not the main frame';
  if (sender.frameUrl === undefined) return 'frame gone';
  if (!parseAppUrl(sender.frameUrl, appOrigin)) return 'foreign origin';
  return undefined;
}

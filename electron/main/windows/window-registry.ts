/**
 * The windows main created, by webContents id and kind. The IPC sender check asks it "is this
 * webContents one of ours, and which kind" (Electron security checklist #17); events go only
 * to the registered windows of the channel's kind.
 */
import type { WindowKind } from '../../ipc/surface.ts';

/** The part of Electron's WebContents the registry and the event fan-out use. */
export interface RegisteredContents {
  readonly id: number;
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
  once(event: 'destroyed', listener: () => void): unknown;
  readonly mainFrame: { readonly url: string };
}

export class WindowRegistry {
  private readonly byId = new Map<number, { contents: RegisteredContents; kind: WindowKind }>();

  add(contents: RegisteredContents, kind: WindowKind): void {
    this.byId.set(contents.id, { contents, kind });
    contents.once('destroyed', () => {
      if (this.byId.get(contents.id)?.contents === contents) this.byId.delete(contents.id);
    });
  }

  kindOf(id: number): WindowKind | undefined {
    const entry = this.byId.get(id);
    if (!entry || entry.contents.isDestroyed()) return undefined;
    return entry.kind;
  }

  ofKind(kind: WindowKind): RegisteredContents[] {
    return [...this.byId.values()].filter((e) => e.kind === kind && !e.contents.isDestroyed()).map((e) => e.contents);
  }

  get size(): number {
    return this.byId.size;
  }
}

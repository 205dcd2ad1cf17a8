/** The entry page of each window kind (renderer/index.html, renderer/consent.html). */
import type { WindowKind } from '../../ipc/surface.ts';

export const PAGES: Readonly<Record<WindowKind, readonly string[]>> = {
  portal: ['/index.html'],
  consent: ['/consent.html'],
};

/** The window kind whose entry page `path` is, if any. */
export function pageKind(path: string): WindowKind | undefined {
  return (Object.keys(PAGES) as WindowKind[]).find((k) => PAGES[k].includes(path));
}

export function pageUrl(appOrigin: string, kind: WindowKind): string {
  return `${appOrigin}${PAGES[kind][0]}`;
}

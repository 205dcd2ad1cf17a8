/** The entry page of each window kind (renderer/index.html, renderer/consent.html). */
import type { WindowKind } from '../../ipc/surface.ts';

export const PAGES: Readonly<Record<WindowKind, readonly string[]>> = {
  portal: ['/index.html'],
  consent: ['/consent.html'],
};

export function pageUrl(appOrigin: string, kind: WindowKind): string {
  return `${appOrigin}${PAGES[kind][0]}`;
}

/**
 * The app:// file half (Electron security checklist #18): a URL path maps to a file inside
 * the built renderer folder (out/renderer) or to nothing. Refused before the disk is touched:
 * `..` and `.` segments (also percent-encoded, also behind an encoded `/`), backslashes, NUL
 * and other control characters, drive letters, empty segments, dot-files, undecodable escapes.
 * After the file is found, its real path (symlinks resolved) must still be inside the real
 * root.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';

export const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
};

export function mimeTypeOf(path: string): string {
  return MIME_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

export type PathResolution = { ok: true; path: string } | { ok: false; reason: string };

/** The default document for `/`. */
export const INDEX_PAGE = '/index.html';

/**
 * The file a URL pathname (still percent-encoded, as `URL.pathname` gives it) names inside
 * `root`. Pure: no file-system access.
 */
export function resolveStaticPath(root: string, pathname: string): PathResolution {
  if (!isAbsolute(root)) return { ok: false, reason: 'root is not absolute' };
  const p = pathname === '/' || pathname === '' ? INDEX_PAGE : pathname;
  if (!p.startsWith('/')) return { ok: false, reason: 'not an absolute path' };
  if (p.length > 1024) return { ok: false, reason: 'too long' };
  if (p.includes('\\') || /%5c/i.test(p)) return { ok: false, reason: 'backslash' };
  let decoded: string;
  try {
    decoded = decodeURIComponent(p);
  } catch {
    return { ok: false, reason: 'bad escape' };
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (/[\u0000-\u001f\u007f\\]/.test(decoded)) return { ok: false, reason: 'control character or backslash' };
  const segments = decoded.slice(1).split('/');
  for (const s of segments) {
    if (s === '') return { ok: false, reason: 'empty segment' };
    if (s === '.' || s === '..') return { ok: false, reason: 'dot segment' };
    if (s.startsWith('.')) return { ok: false, reason: 'dot-file' };
    if (s.includes(':')) return { ok: false, reason: 'colon (drive letter or stream name)' };
  }
  const absRoot = resolve(root);
  const target = resolve(absRoot, ...segments);
  const rel = relative(absRoot, target);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) {
    return { ok: false, reason: 'outside the root' };
  }
  return { ok: true, path: target };
}

export type StaticFile =
  | { status: 200; body: Uint8Array<ArrayBuffer>; contentType: string }
  | { status: 404; reason: string };

/** True when `child` is `parent` or inside it (both real, absolute paths). */
function isWithin(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** Reads the file a pathname names, or says why there is none (the reason is for tests/logs). */
export async function readStaticFile(root: string, pathname: string): Promise<StaticFile> {
  const r = resolveStaticPath(root, pathname);
  if (!r.ok) return { status: 404, reason: r.reason };
  let realRoot: string;
  let realTarget: string;
  try {
    realRoot = await realpath(root);
    realTarget = await realpath(r.path);
  } catch {
    return { status: 404, reason: 'no such file' };
  }
  if (!isWithin(realRoot, realTarget)) return { status: 404, reason: 'symlink escapes the root' };
  try {
    const st = await stat(realTarget);
    if (!st.isFile()) return { status: 404, reason: 'not a file' };
    const body = new Uint8Array(await readFile(realTarget));
    return { status: 200, body, contentType: mimeTypeOf(realTarget) };
  } catch {
    return { status: 404, reason: 'unreadable' };
  }
}

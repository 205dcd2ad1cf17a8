/**
 * The test host (DESIGN §9): a plain Node process that runs main's services and IPC handlers
 * exactly as Electron's main does (startMainServices from compose.ts), serves the built
 * renderer through the app protocol handler (same CSP, same static-file rules, same /api/*
 * proxy to the portal through PortalSession), and gives each page its bridge over a WebSocket:
 *
 *   GET  /, /index.html, /consent.html   the pages, with <script src="/__host/bridge-*.js">
 *                                         injected before the app's module script
 *   GET  /__host/bridge-{portal,consent}.js   buildBridge(kind, WebSocket transport), bundled
 *   WS   /__host/ws?kind=portal|consent   dispatch(handlers, channel, request, ctx) + events
 *   *    /api/*                           the portal, through main's PortalSession
 *
 * Differences from Electron, all confined to the transport: a page names its window kind in
 * the WebSocket URL (Electron knows it from the window main created); the sender check is the
 * WebSocket's Origin header, which must be the host's own origin; the consent "window" is a
 * second tab on /consent.html, which the presenter's close() reloads. Kiosk functions are not
 * offered here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Channel, WindowKind } from '../../electron/ipc/surface.ts';
import { dispatch } from '../../electron/main/ipc/dispatch.ts';
import { createAppProtocolHandler } from '../../electron/main/protocol/app-handler.ts';
import { buildCsp, securityHeaders } from '../../electron/main/security/csp.ts';
import { type MainServices, startMainServices } from '../../electron/main/services/compose.ts';
import { pageKind } from '../../electron/main/windows/pages.ts';
import { bundleBridges } from './bundle.ts';
import { BRIDGE_PATHS, type HostMessage, type PageMessage, WS_PATH } from './protocol.ts';

export const DEFAULT_RENDERER_DIR = fileURLToPath(new URL('../../out/renderer/', import.meta.url));

export interface TestHostOptions {
  /** 0 (default): a free port. */
  port?: number;
  card?: 'auto' | 'emulator' | 'pcsc';
  /** The demo card's resident (resources/demo/residents.json), default resident-01. */
  resident?: string;
  rendererDir?: string;
  /** Default: a fresh temporary directory, removed on close. */
  userDataDir?: string;
  /** null (default): the embedded demo portal on a random loopback port. */
  portalUrl?: string | null;
  consentTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface TestHost {
  origin: string;
  portalPage: string;
  consentPage: string;
  services: MainServices;
  /** The CSP every page and API response carries. */
  csp: string;
  close(): Promise<void>;
}

interface Connection {
  ws: WebSocket;
  kind: WindowKind;
  id: string;
}

/** The app's entry pages (windows/pages.ts), plus `/` for a person typing the host's address. */
const kindOfPage = (path: string): WindowKind | undefined => (path === '/' ? 'portal' : pageKind(path));

/** `<script src=bridge>` before the first module script (classic scripts run first anyway). */
export function injectBridge(html: string, kind: WindowKind): string {
  const tag = `<script src="${BRIDGE_PATHS[kind]}"></script>`;
  const at = html.search(/<script\b[^>]*type="module"/);
  if (at >= 0) return `${html.slice(0, at)}${tag}\n    ${html.slice(at)}`;
  return html.replace('</head>', `${tag}</head>`);
}

function toRequest(req: IncomingMessage, origin: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  return new Request(new URL(req.url ?? '/', origin), {
    method,
    headers,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream, duplex: 'half' } : {}),
  } as RequestInit);
}

async function send(res: ServerResponse, response: Response, body?: string): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((v, k) => {
    headers[k] = v;
  });
  if (body !== undefined) {
    headers['content-length'] = String(Buffer.byteLength(body));
    res.writeHead(response.status, headers).end(body);
    return;
  }
  const bytes = response.body ? Buffer.from(await response.arrayBuffer()) : undefined;
  if (bytes) headers['content-length'] = String(bytes.byteLength);
  res.writeHead(response.status, headers).end(bytes);
}

export async function startTestHost(opts: TestHostOptions = {}): Promise<TestHost> {
  const log = opts.log ?? (() => {});
  const tempDir = opts.userDataDir ? undefined : mkdtempSync(join(tmpdir(), 'myna-host-'));
  const userDataDir = opts.userDataDir ?? (tempDir as string);
  const connections = new Set<Connection>();
  let nextConnection = 1;
  const toKind = (kind: WindowKind, msg: HostMessage) => {
    const data = JSON.stringify(msg);
    for (const c of connections) if (c.kind === kind && c.ws.readyState === c.ws.OPEN) c.ws.send(data);
  };

  // 1. The HTTP server first: its origin is the app origin main's services are started with.
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  let services: MainServices;
  let bridges: Record<WindowKind, string>;
  try {
    [services, bridges] = await Promise.all([
      startMainServices({
        userDataDir,
        demoMode: true,
        kiosk: false,
        portalUrl: opts.portalUrl ?? null,
        appOrigin: origin,
        runtime: 'test-host',
        card: opts.card ?? 'emulator',
        demoResident: opts.resident ?? 'resident-01',
        ...(opts.consentTimeoutMs ? { consentTimeoutMs: opts.consentTimeoutMs } : {}),
        presenter: {
          show: () => log(`consent requested: open ${origin}/consent.html`),
          close: () => toKind('consent', { type: 'close' }),
        },
      }),
      bundleBridges(),
    ]);
  } catch (e) {
    server.close();
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    throw e;
  }

  const csp = buildCsp({ portalOrigin: services.portalOrigin });
  const appHandler = createAppProtocolHandler({
    appOrigin: origin,
    rendererRoot: opts.rendererDir ?? DEFAULT_RENDERER_DIR,
    csp,
    portal: services.portalSession,
  });
  const unsubscribe = services.events.addSender((kind: WindowKind, channel: Channel, payload: unknown) =>
    toKind(kind, { type: 'event', channel, payload }),
  );

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const path = new URL(req.url ?? '/', origin).pathname;
      const bridgeKind = (Object.keys(BRIDGE_PATHS) as WindowKind[]).find((k) => BRIDGE_PATHS[k] === path);
      if (bridgeKind) {
        const headers = {
          ...securityHeaders(csp),
          'content-type': 'text/javascript; charset=utf-8',
          'cache-control': 'no-store',
        };
        await send(res, new Response(null, { status: 200, headers }), bridges[bridgeKind]);
        return;
      }
      const response = await appHandler(toRequest(req, origin));
      const kind = kindOfPage(path);
      if (kind && response.status === 200 && req.method === 'GET') {
        await send(res, response, injectBridge(await response.text(), kind));
        return;
      }
      await send(res, response);
    })().catch((e: unknown) => {
      log(`request failed: ${e instanceof Error ? e.message : String(e)}`);
      if (!res.headersSent) res.writeHead(500, securityHeaders(csp));
      res.end();
    });
  });

  // 2. The bridge's WebSocket: our own origin only, one window kind per connection.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 32 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', origin);
    const kind = url.searchParams.get('kind');
    if (url.pathname !== WS_PATH || (kind !== 'portal' && kind !== 'consent') || req.headers.origin !== origin) {
      socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const conn: Connection = { ws, kind, id: `host-${kind}-${nextConnection++}` };
      connections.add(conn);
      ws.on('close', () => connections.delete(conn));
      ws.on('message', (data) => {
        let msg: PageMessage;
        try {
          msg = JSON.parse(String(data)) as PageMessage;
        } catch {
          return;
        }
        if (msg?.type !== 'invoke' || typeof msg.id !== 'number') return;
        void dispatch(services.handlers, msg.channel, msg.request, { windowKind: conn.kind, windowId: conn.id }).then(
          (result) => {
            if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'result', id: msg.id, result }));
          },
        );
      });
    });
  });

  return {
    origin,
    portalPage: `${origin}/`,
    consentPage: `${origin}/consent.html`,
    services,
    csp,
    close: async () => {
      unsubscribe();
      for (const c of connections) c.ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await services.close();
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    },
  };
}

import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Request, Response, Server } from 'restify';
import { projectRoot } from '../../paths.js';

export const publicDir = join(projectRoot, 'public');
const webChatDir = join(projectRoot, 'node_modules', 'botframework-webchat');

interface Content {
  body: Buffer;
  etag: string;
  gzipped?: Promise<Buffer>;
}

interface Asset {
  type: string;
  cache: string;
  content(): Promise<Content>;
}

/**
 * Content-Security-Policy of the page: our scripts only, Web Chat's inline styles, Direct Line (local or Azure, and
 * the regional `DIRECT_LINE_DOMAIN`). In local mode the results card's picture comes from this server by its
 * 127.0.0.1 address, which is another origin when the page was opened as http://localhost.
 */
export const contentSecurityPolicy = (localMode: boolean, directLineDomain?: string) =>
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob:${localMode ? ' http://127.0.0.1:* http://localhost:*' : ''}`,
    "font-src 'self' data:",
    "connect-src 'self' https://directline.botframework.com https://*.directline.botframework.com wss://directline.botframework.com wss://*.directline.botframework.com" +
      directLineOrigins(directLineDomain),
    "media-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'self'",
  ].join('; ');

/** ` https://host wss://host` for a Direct Line base URL, nothing without one. */
function directLineOrigins(domain: string | undefined): string {
  if (!domain) return '';
  const { origin } = new URL(domain);
  return ` ${origin} ${origin.replace(/^http/, 'ws')}`;
}

const securityHeaders = (localMode: boolean, directLineDomain?: string) => ({
  'Content-Security-Policy': contentSecurityPolicy(localMode, directLineDomain),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
});

export function webChatVersion(): string {
  return (JSON.parse(readFileSync(join(webChatDir, 'package.json'), 'utf8')) as { version: string }).version;
}

/** "2 ans", "90 jours": how long answers are kept, for the page's data note. */
export function retentionText(days: number): string {
  if (days % 365 === 0) return days === 365 ? '1 an' : `${days / 365} ans`;
  return `${days} jours`;
}

/**
 * `GET /` (the French page hosting Web Chat), its script and styles, and `GET /vendor/webchat.js`: the official
 * `botframework-webchat` bundle from node_modules (no CDN), cached for good since its URL carries its version.
 */
export function registerWebPage(
  server: Server,
  options: { retentionDays: number; localMode: boolean; directLineDomain?: string },
): void {
  const security = securityHeaders(options.localMode, options.directLineDomain);
  const bundle = join(webChatDir, 'dist', 'webchat.js');
  if (!existsSync(bundle)) {
    throw new Error(`channels: ${bundle} is missing — run npm install (botframework-webchat)`);
  }
  const version = webChatVersion();
  const html = readFileSync(join(publicDir, 'index.html'), 'utf8')
    .replaceAll('{{WEBCHAT_VERSION}}', encodeURIComponent(version))
    .replaceAll('{{RETENTION}}', retentionText(options.retentionDays));
  const revalidate = 'no-cache';
  const assets = new Map<string, Asset>([
    ['/', asset(Buffer.from(html), 'text/html; charset=utf-8', revalidate)],
    ['/app.js', asset(readFileSync(join(publicDir, 'app.js')), 'text/javascript; charset=utf-8', revalidate)],
    [
      '/styles.css',
      asset(readFileSync(join(publicDir, 'styles.css')), 'text/css; charset=utf-8', revalidate),
    ],
    [
      '/favicon.svg',
      asset(readFileSync(join(publicDir, 'favicon.svg')), 'image/svg+xml', 'public, max-age=86400'),
    ],
    [
      '/vendor/webchat.js',
      // 4 MB, read when a browser first asks for it: a server that only talks to Teams never holds it
      lazyAsset(bundle, 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable'),
    ],
  ]);

  for (const [path, file] of assets) {
    server.get(path, async (req: Request, res: Response) => serve(req, res, file, security));
    server.head(path, async (req: Request, res: Response) => serve(req, res, file, security));
  }
  server.get('/favicon.ico', async (_req: Request, res: Response) => {
    res.writeHead(301, { Location: '/favicon.svg' });
    res.end();
  });
}

/** Serves `html` at `path` (GET and HEAD) like the page itself: security headers, ETag, gzip, revalidated. */
export function registerHtmlPage(server: Server, path: string, html: string, localMode: boolean): void {
  const security = securityHeaders(localMode);
  const file = asset(Buffer.from(html), 'text/html; charset=utf-8', 'no-cache');
  server.get(path, async (req: Request, res: Response) => serve(req, res, file, security));
  server.head(path, async (req: Request, res: Response) => serve(req, res, file, security));
}

const contentOf = (body: Buffer): Content => ({
  body,
  etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
});

function asset(body: Buffer, type: string, cache: string): Asset {
  const content = Promise.resolve(contentOf(body));
  return { type, cache, content: () => content };
}

/** An asset read from `file` on the first request, then kept; a failed read is tried again on the next one. */
function lazyAsset(file: string, type: string, cache: string): Asset {
  let content: Promise<Content> | undefined;
  return {
    type,
    cache,
    content: () =>
      (content ??= readFile(file).then(contentOf, (err: unknown) => {
        content = undefined;
        throw err;
      })),
  };
}

async function serve(
  req: Request,
  res: Response,
  asset: Asset,
  security: Record<string, string>,
): Promise<void> {
  const file = await asset.content();
  const headers: Record<string, string> = {
    ...security,
    'Content-Type': asset.type,
    'Cache-Control': asset.cache,
    ETag: file.etag,
    Vary: 'Accept-Encoding',
  };
  if (req.headers['if-none-match'] === file.etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  let body = file.body;
  if (file.body.length > 1024 && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
    file.gzipped ??= promisify(gzip)(file.body);
    body = await file.gzipped;
    headers['Content-Encoding'] = 'gzip';
  }
  headers['Content-Length'] = String(body.length);
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

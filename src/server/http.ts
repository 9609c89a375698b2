import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import restify, {
  type Next,
  type Request,
  type RequestHandler,
  type RequestHandlerType,
  type Response,
  type Server,
} from 'restify';
import type { Logger } from '../log.js';

export const maxBodyBytes = 256 * 1024;

/** How long, and how many at once, connections may stay open before their request is complete. */
export const connectionLimits = {
  /** Time to send the request line and headers (a WebSocket upgrade carries its token there). */
  headersTimeoutMs: 10_000,
  /** Time to send a whole request, body included (256 Ko in 30 s: 9 Ko/s). */
  requestTimeoutMs: 30_000,
  /** How often Node looks for connections past these times. */
  checkEveryMs: 1_000,
  /** Connections open at once that have not sent a complete first request yet; past it, the oldest is closed. */
  maxPendingConnections: 256,
};

export function frenchError(res: Response, status: number, code: string, message: string): void {
  res.status(status);
  res.json({ error: { code, message } });
}

const internalError = 'Erreur interne du serveur. Réessayez dans un instant.';

const statusMessages: Record<number, string> = {
  400: 'Requête invalide : le contenu envoyé n’est pas du JSON valide.',
  404: 'Cette adresse n’existe pas.',
  405: 'Méthode non autorisée pour cette adresse.',
  413: `Message trop volumineux (limite : ${Math.round(maxBodyBytes / 1024)} Ko).`,
  415: 'Type de contenu non pris en charge : envoyez du JSON.',
};

export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

const upgradeRoutes = new WeakMap<Server, { path: RegExp; handle: UpgradeHandler }[]>();

/** WebSocket upgrades to a path matching `path` go to `handle`; upgrades to any other path are refused. */
export function onUpgrade(server: Server, path: RegExp, handle: UpgradeHandler): void {
  const routes = upgradeRoutes.get(server);
  if (!routes) throw new Error('http: onUpgrade needs a server made by createHttpServer');
  routes.push({ path, handle });
}

/** Answers an upgrade request with a status and no body, then closes the socket. */
export function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * A restify server with the limits every route shares: uncompressed JSON bodies of at most 256 Ko, bounded
 * connections, French errors with no stack trace, and an `x-request-id` on every response that the logs repeat.
 */
export function createHttpServer(logger: Logger): Server {
  const server = restify.createServer({ name: 'assistant-maturite', handleUncaughtExceptions: false });
  guardHandlers(server);
  limitConnections(server, logger);
  routeUpgrades(server);
  server.pre((req: Request, res: Response, next: Next) => {
    res.setHeader('x-request-id', req.id());
    next();
  });
  server.pre(jsonBodiesOnly);
  server.pre(restify.plugins.pre.dedupeSlashes());
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(
    restify.plugins.bodyParser({
      maxBodySize: maxBodyBytes,
      mapParams: false,
      rejectUnknown: false,
    }) as never,
  );
  server.on(
    'restifyError',
    (req: Request, res: Response, err: Error & { statusCode?: number }, next: () => void) => {
      const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
      if (status >= 500) {
        logger.error({ err, reqId: req.id(), method: req.method, url: req.url }, 'http: request failed');
      }
      if (res.headersSent) {
        // the route had begun its answer: what was sent cannot be taken back, the client sees a cut connection
        if (!res.writableEnded) req.socket.destroy();
        return;
      }
      const body = { error: { code: status, message: statusMessages[status] ?? internalError } };
      // restify answers an error without statusCode with a new InternalError carrying its message: answer first.
      if (typeof err.statusCode !== 'number') res.send(500, body);
      (err as unknown as { toJSON: () => unknown }).toJSON = () => body;
      return next();
    },
  );
  server.server.once('listening', () => logger.debug({ routes: publicRoutes(server) }, 'http: routes'));
  return server;
}

/** Every route of `server` as `METHOD /path`, as restify's router holds them. */
export function publicRoutes(server: Server): string[] {
  return Object.values(server.router.getRoutes()).map(
    (route) => `${route.method.toUpperCase()} ${String(route.path)}`,
  );
}

/**
 * What a request body may be, checked before it is read: JSON of at most 256 Ko, uncompressed. No channel
 * compresses what it posts (Azure Bot Service, Teams, Direct Line and Web Chat's botframework-directlinejs, the
 * Emulator, botbuilder's Connector client), so any Content-Encoding but identity is refused and no decompressor ever
 * sees a body. Other types are refused too: restify would write a multipart upload to the temporary folder and
 * leave it there.
 */
function jsonBodiesOnly(req: Request, res: Response, next: Next): void {
  const refuse = (status: number, code: string, message: string) => {
    res.setHeader('Connection', 'close');
    frenchError(res, status, code, message);
    next(false);
  };
  const coding = req.headers['content-encoding'];
  if (coding !== undefined) {
    if (coding.trim().toLowerCase() !== 'identity') {
      res.setHeader('Accept-Encoding', 'identity');
      return refuse(
        415,
        'UnsupportedContentEncoding',
        'Contenu compressé non pris en charge : envoyez le corps de la requête sans compression.',
      );
    }
    delete req.headers['content-encoding'];
  }
  const length = Number(req.headers['content-length'] ?? 0);
  if (req.headers['transfer-encoding'] === undefined && !(length > 0)) return next();
  if (length > maxBodyBytes) return refuse(413, 'PayloadTooLarge', statusMessages[413]!);
  const type = (req.headers['content-type'] ?? '').split(';', 1)[0]!.trim().toLowerCase();
  if (type === 'application/json' || /^application\/[\w.-]+\+json$/.test(type)) return next();
  if (type === 'multipart/form-data') {
    return refuse(
      415,
      'UnsupportedMediaType',
      'L’envoi de fichiers n’est pas pris en charge par cet assistant.',
    );
  }
  refuse(
    415,
    'UnsupportedMediaType',
    'Type de contenu non pris en charge : envoyez du JSON (application/json).',
  );
}

const routeMethods = ['del', 'get', 'head', 'opts', 'post', 'put', 'patch'] as const;

/**
 * Every callback-style handler registered on `server` passes what it throws to `next` (a French 500) instead of
 * killing the process: restify calls handlers with no `try`. An async handler needs no guard: what it throws
 * rejects its promise, which restify passes to `next`.
 */
function guardHandlers(server: Server): void {
  for (const method of routeMethods) {
    const register = server[method].bind(server);
    server[method] = (opts, ...handlers) => register(opts, ...guarded(handlers));
  }
  const use = server.use.bind(server);
  server.use = (...handlers) => use(...guarded(handlers));
  const pre = server.pre.bind(server);
  server.pre = (...handlers) => pre(...guarded(handlers));
}

function guarded(handlers: RequestHandlerType[]): RequestHandler[] {
  return handlers.flat().map((handler) => {
    // restify checks the others itself: async functions, and error handlers (four parameters)
    if (handler.length !== 3 || handler.constructor.name === 'AsyncFunction') return handler;
    const guard: RequestHandler = (req, res, next) => {
      try {
        return handler(req, res, next) as unknown;
      } catch (err) {
        return next(err instanceof Error ? err : new Error(String(err)));
      }
    };
    Object.defineProperty(guard, 'name', { value: handler.name });
    return guard;
  });
}

/** Node's timeouts for unfinished requests, and a bound on connections that have not sent a request yet. */
function limitConnections(server: Server, logger: Logger): void {
  const http = server.server;
  http.headersTimeout = connectionLimits.headersTimeoutMs;
  http.requestTimeout = connectionLimits.requestTimeoutMs;
  // read by Node when the server starts listening
  (http as { connectionsCheckingInterval?: number }).connectionsCheckingInterval =
    connectionLimits.checkEveryMs;
  const pending = new Set<Socket>();
  let saturated = false;
  http.on('connection', (socket: Socket) => {
    if (pending.size >= connectionLimits.maxPendingConnections) {
      if (!saturated) {
        logger.warn(
          { limit: connectionLimits.maxPendingConnections },
          'http: too many connections without a request, the oldest closed',
        );
      }
      saturated = true;
      const oldest = pending.values().next().value!;
      pending.delete(oldest);
      oldest.destroy();
    } else {
      saturated = false;
    }
    pending.add(socket);
    socket.once('close', () => pending.delete(socket));
  });
  http.on('request', (req: IncomingMessage) => pending.delete(req.socket));
  http.on('upgrade', (req: IncomingMessage) => pending.delete(req.socket));
}

/** One listener for WebSocket upgrades: routed by `onUpgrade`, refused with 404 at once everywhere else. */
function routeUpgrades(server: Server): void {
  const routes: { path: RegExp; handle: UpgradeHandler }[] = [];
  upgradeRoutes.set(server, routes);
  server.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node leaves an upgraded socket without an error listener
    socket.on('error', () => socket.destroy());
    const path = (req.url ?? '/').split('?', 1)[0]!;
    const route = routes.find((r) => r.path.test(path));
    if (!route) return refuseUpgrade(socket, 404, 'Not Found');
    route.handle(req, socket, head);
  });
}

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Request, Response, Server } from 'restify';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '../../log.js';
import { clientAddressResolver, type ClientAddress } from '../../server/clientAddress.js';
import { frenchError, onUpgrade, refuseUpgrade } from '../../server/http.js';
import { RateLimiter } from './rateLimit.js';
import {
  ConversationStore,
  defaultStoreLimits,
  type ActivitySet,
  type CloseReason,
  type Conversation,
  type JsonActivity,
  type StoreLimits,
} from './store.js';
import { bearer, randomId, TokenSigner, type TokenClaims } from './token.js';

export interface Rate {
  capacity: number;
  perSecond: number;
}

export interface DirectLineLimits extends StoreLimits {
  /** Serialized size of one activity posted by a client. */
  maxUserActivityBytes: number;
  maxSocketsPerConversation: number;
  /** How long a client's POST waits for the bot to take the activity. */
  botTimeoutMs: number;
  /** Activities a token may post. */
  postsPerToken: Rate;
  /** Direct Line requests (and WebSocket connections) per client address. */
  requestsPerIp: Rate;
  /** Tokens handed out per client address by `/api/directline/token`. */
  tokensPerIp: Rate;
  sweepEveryMs: number;
  heartbeatMs: number;
}

export const defaultDirectLineLimits: DirectLineLimits = {
  ...defaultStoreLimits,
  maxUserActivityBytes: 32 * 1024,
  maxSocketsPerConversation: 3,
  botTimeoutMs: 15_000,
  postsPerToken: { capacity: 20, perSecond: 2 },
  requestsPerIp: { capacity: 300, perSecond: 30 },
  tokensPerIp: { capacity: 30, perSecond: 0.5 },
  sweepEveryMs: 60_000,
  heartbeatMs: 30_000,
};

export interface LocalDirectLineOptions {
  logger: Logger;
  /** The bot's account as the user sees it (`recipient` of what the user sends). */
  bot: { id: string; name: string };
  /** Where this server is reachable from itself: the Direct Line posts to `{url}/api/messages`, the bot replies to it. */
  internalUrl: () => string;
  /** The address browsers use, when it is fixed (PUBLIC_URL); otherwise it is taken from each request's Host header. */
  publicUrl?: string;
  limits?: Partial<DirectLineLimits>;
  signer?: TokenSigner;
  now?: () => number;
  /** Whom a request comes from, for the limits per address (default: the peer's address). */
  clientAddress?: ClientAddress;
}

export const channelId = 'directline';
const basePath = '/v3/directline';
const tooManyRequests = 'Trop de requêtes : patientez quelques secondes.';
const allowedClientTypes = new Set(['message', 'event', 'typing']);
const streamPath = /^\/v3\/directline\/conversations\/([^/]+)\/stream$/;
const hostPattern = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

type Handler = (req: Request, res: Response) => Promise<void>;

/**
 * A Direct Line 3.0 service for Web Chat and `botframework-directlinejs`, inside this server, as the Bot Framework
 * Emulator does it: client activities are POSTed to this server's `/api/messages`, and the bot's replies come back
 * through the Connector routes `/v3/conversations/...` because `serviceUrl` points here. Conversations live in memory
 * (one instance only), bounded in number, size and idle time.
 */
export class LocalDirectLine {
  readonly limits: DirectLineLimits;
  readonly signer: TokenSigner;
  readonly store: ConversationStore;
  private readonly logger: Logger;
  private readonly ipLimiter: RateLimiter;
  private readonly tokenLimiter: RateLimiter;
  private readonly postLimiter: RateLimiter;
  private readonly sockets = new Map<string, Set<WebSocket>>();
  private readonly alive = new WeakSet<WebSocket>();
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly now: () => number;
  private readonly clientAddress: ClientAddress;
  private pendingTurns = 0;

  constructor(private readonly options: LocalDirectLineOptions) {
    this.limits = { ...defaultDirectLineLimits, ...options.limits };
    this.clientAddress = options.clientAddress ?? clientAddressResolver({ hops: 0 });
    this.logger = options.logger;
    this.now = options.now ?? Date.now;
    this.signer = options.signer ?? new TokenSigner(undefined, 1800, this.now);
    this.store = new ConversationStore(this.limits, (c, reason) => this.closed(c, reason), this.now);
    const { requestsPerIp, tokensPerIp, postsPerToken } = this.limits;
    this.ipLimiter = new RateLimiter(requestsPerIp.capacity, requestsPerIp.perSecond, 10_000, this.now);
    this.tokenLimiter = new RateLimiter(tokensPerIp.capacity, tokensPerIp.perSecond, 10_000, this.now);
    this.postLimiter = new RateLimiter(postsPerToken.capacity, postsPerToken.perSecond, 10_000, this.now);
  }

  register(server: Server): void {
    const route = (handler: Handler): Handler => handler.bind(this);
    server.post(`${basePath}/tokens/generate`, route(this.generate));
    server.post(`${basePath}/tokens/refresh`, route(this.refresh));
    server.post(`${basePath}/conversations`, route(this.start));
    server.get(`${basePath}/conversations/:conversationId`, route(this.reconnect));
    server.post(`${basePath}/conversations/:conversationId/activities`, route(this.post));
    server.get(`${basePath}/conversations/:conversationId/activities`, route(this.poll));
    server.post(`${basePath}/conversations/:conversationId/upload`, route(this.upload));

    server.post('/v3/conversations/:conversationId/activities', route(this.botSend));
    server.post('/v3/conversations/:conversationId/activities/:activityId', route(this.botSend));
    server.put('/v3/conversations/:conversationId/activities/:activityId', route(this.botUpdate));
    server.del('/v3/conversations/:conversationId/activities/:activityId', route(this.botDelete));
    server.get('/v3/conversations/:conversationId/members', route(this.members));
    server.get('/v3/conversations/:conversationId/activities/:activityId/members', route(this.members));

    onUpgrade(server, streamPath, (req, socket, head) => this.upgrade(req, socket, head));

    this.timers.push(setInterval(() => this.store.sweep(), this.limits.sweepEveryMs).unref());
    this.timers.push(setInterval(() => this.heartbeat(), this.limits.heartbeatMs).unref());
  }

  /** A token for a new conversation of `userId`: what `/api/directline/token` hands to the page. */
  issueToken(req: Request, res: Response, userId: string): void {
    if (!this.allow(res, this.tokenLimiter, this.clientAddress(req))) return;
    const conversationId = randomId();
    res.json({
      token: this.signer.sign(conversationId, userId),
      domain: `${this.publicBase(req)}${basePath}`,
      userId,
      conversationId,
      expiresIn: this.signer.lifetimeSeconds,
    });
  }

  /** True while activities wait for the bot or are with it. */
  get busy(): boolean {
    return this.pendingTurns > 0;
  }

  close(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.store.closeAll();
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
  }

  // ——— Direct Line 3.0, client side ———

  private async generate(req: Request, res: Response): Promise<void> {
    if (!this.allowIp(req, res)) return;
    frenchError(
      res,
      403,
      'Forbidden',
      'Ce serveur n’a pas de secret Direct Line : demandez un jeton à /api/directline/token.',
    );
  }

  private async refresh(req: Request, res: Response): Promise<void> {
    const claims = this.authorize(req, res);
    if (!claims) return;
    res.json({
      conversationId: claims.conv,
      token: this.signer.sign(claims.conv, claims.user),
      expires_in: this.signer.lifetimeSeconds,
    });
  }

  private async start(req: Request, res: Response): Promise<void> {
    const claims = this.authorize(req, res);
    if (!claims) return;
    const { conversation } = this.store.open(claims.conv, claims.user);
    const first = !conversation.started;
    if (first) {
      conversation.started = true;
      conversation.locale = locale((req.body as { locale?: unknown } | undefined)?.locale);
      void this.toBot(conversation, this.conversationUpdate(conversation)).catch((err: Error) =>
        this.logger.warn(
          { err, conversationId: conversation.id },
          'directline: conversationUpdate not delivered',
        ),
      );
    }
    res.status(first ? 201 : 200);
    res.json(this.conversationResponse(req, conversation, undefined));
  }

  private async reconnect(req: Request, res: Response): Promise<void> {
    const found = this.conversation(req, res);
    if (!found) return;
    const watermark = typeof req.query?.watermark === 'string' ? req.query.watermark : undefined;
    res.json(this.conversationResponse(req, found.conversation, watermark));
  }

  private async post(req: Request, res: Response): Promise<void> {
    const found = this.conversation(req, res);
    if (!found) return;
    const { conversation, claims } = found;
    if (!this.allow(res, this.postLimiter, `${claims.conv}:${claims.user}`)) return;
    const body = req.body as unknown;
    if (!isActivity(body) || !allowedClientTypes.has(body.type)) {
      frenchError(
        res,
        400,
        'BadArgument',
        'Activité invalide : un objet JSON avec un type « message » est attendu.',
      );
      return;
    }
    if (Buffer.byteLength(JSON.stringify(body)) > this.limits.maxUserActivityBytes) {
      const limit = Math.round(this.limits.maxUserActivityBytes / 1024);
      frenchError(res, 413, 'MessageSizeTooBig', `Message trop long (limite : ${limit} Ko).`);
      return;
    }
    const from = body.from as { name?: unknown } | undefined;
    const activity: JsonActivity = {
      ...body,
      channelId,
      conversation: { id: conversation.id },
      from: {
        id: claims.user,
        ...(typeof from?.name === 'string' ? { name: from.name.slice(0, 100) } : {}),
        role: 'user',
      },
      recipient: { ...this.options.bot, role: 'bot' },
      locale: locale(body.locale) ?? conversation.locale,
    };
    delete activity.id;
    delete activity.serviceUrl;
    let sent: JsonActivity;
    if (activity.type === 'typing') {
      sent = {
        ...activity,
        id: `${conversation.id}|typing-${randomId(6)}`,
        timestamp: new Date(this.now()).toISOString(),
      };
      conversation.emit({ activities: [sent] });
    } else {
      sent = this.store.append(conversation, activity);
    }
    let status: number;
    try {
      status = await this.toBot(conversation, sent);
    } catch (err) {
      const timeout = (err as Error).name === 'TimeoutError';
      this.logger.warn(
        { err, conversationId: conversation.id },
        'directline: activity not delivered to the bot',
      );
      frenchError(
        res,
        timeout ? 504 : 502,
        timeout ? 'BotTimeout' : 'BotError',
        timeout
          ? 'L’assistant met trop de temps à répondre. Réessayez dans un instant.'
          : 'L’assistant n’a pas pu traiter votre message. Réessayez dans un instant.',
      );
      return;
    }
    if (status >= 400) {
      this.logger.warn(
        { status, conversationId: conversation.id },
        'directline: the bot refused an activity',
      );
      frenchError(
        res,
        502,
        'BotError',
        'L’assistant n’a pas pu traiter votre message. Réessayez dans un instant.',
      );
      return;
    }
    res.json({ id: sent.id });
  }

  private async poll(req: Request, res: Response): Promise<void> {
    const found = this.conversation(req, res);
    if (!found) return;
    const watermark = typeof req.query?.watermark === 'string' ? req.query.watermark : undefined;
    res.json(this.store.since(found.conversation, watermark));
  }

  private async upload(req: Request, res: Response): Promise<void> {
    if (!this.conversation(req, res)) return;
    frenchError(res, 415, 'NotSupported', 'L’envoi de fichiers n’est pas pris en charge par cet assistant.');
  }

  // ——— Connector API, bot side (the bot's serviceUrl points here) ———

  private async botSend(req: Request, res: Response): Promise<void> {
    const posted = this.botActivity(req, res);
    if (!posted) return;
    const { conversation, body } = posted;
    const activity: JsonActivity = {
      ...body,
      channelId,
      conversation: { id: conversation.id },
      from: body.from ?? { ...this.options.bot, role: 'bot' },
    };
    delete activity.serviceUrl;
    if (activity.type === 'typing') {
      const id = `${conversation.id}|typing-${randomId(6)}`;
      conversation.emit({ activities: [{ ...activity, id, timestamp: new Date(this.now()).toISOString() }] });
      res.json({ id });
      return;
    }
    delete activity.id;
    const stored = this.store.append(conversation, activity);
    res.json({ id: stored.id });
  }

  private async botUpdate(req: Request, res: Response): Promise<void> {
    const posted = this.botActivity(req, res);
    if (!posted) return;
    const { conversation, body } = posted;
    const activityId = String(req.params.activityId);
    const activity: JsonActivity = { ...body, channelId, conversation: { id: conversation.id } };
    delete activity.serviceUrl;
    const stored = this.store.replace(conversation, activityId, activity);
    if (!stored) {
      frenchError(res, 404, 'ActivityNotFound', 'Activité inconnue dans cette conversation.');
      return;
    }
    res.json({ id: stored.id });
  }

  private async botDelete(req: Request, res: Response): Promise<void> {
    const conversation = this.botConversation(req, res);
    if (!conversation) return;
    this.store.remove(conversation, String(req.params.activityId));
    res.json({});
  }

  private async members(req: Request, res: Response): Promise<void> {
    const conversation = this.botConversation(req, res);
    if (!conversation) return;
    res.json([
      { id: conversation.userId, name: 'Vous', role: 'user' },
      { ...this.options.bot, role: 'bot' },
    ]);
  }

  // ——— WebSocket stream ———

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = streamPath.exec(url.pathname);
    if (!match) return refuseUpgrade(socket, 404, 'Not Found');
    if (!this.ipLimiter.take(this.clientAddress(req)).ok)
      return refuseUpgrade(socket, 429, 'Too Many Requests');
    const check = this.signer.verify(url.searchParams.get('t') ?? undefined);
    let conversationId: string;
    try {
      conversationId = decodeURIComponent(match[1] ?? '');
    } catch {
      return refuseUpgrade(socket, 400, 'Bad Request');
    }
    if (!check.ok || check.claims.conv !== conversationId) return refuseUpgrade(socket, 403, 'Forbidden');
    const conversation = this.store.get(conversationId);
    if (!conversation) return refuseUpgrade(socket, 404, 'Not Found');
    this.wss.handleUpgrade(req, socket, head, (ws) =>
      this.stream(ws, conversation, url.searchParams.get('watermark')),
    );
  }

  private stream(ws: WebSocket, conversation: Conversation, watermark: string | null): void {
    let open = this.sockets.get(conversation.id);
    if (!open) this.sockets.set(conversation.id, (open = new Set()));
    open.add(ws);
    while (open.size > this.limits.maxSocketsPerConversation) {
      const oldest = open.values().next().value;
      if (!oldest) break;
      open.delete(oldest);
      oldest.close(4000, 'collision');
    }
    this.alive.add(ws);
    const send = (set: ActivitySet) => {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > 1024 * 1024) {
        ws.terminate();
        return;
      }
      ws.send(JSON.stringify(set));
    };
    conversation.listeners.add(send);
    ws.on('pong', () => this.alive.add(ws));
    ws.on('message', () => this.store.get(conversation.id));
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      conversation.listeners.delete(send);
      open.delete(ws);
      if (open.size === 0 && this.sockets.get(conversation.id) === open) this.sockets.delete(conversation.id);
    });
    const backlog = this.store.since(conversation, watermark ?? undefined);
    if (backlog.activities.length > 0) send(backlog);
  }

  private heartbeat(): void {
    for (const ws of this.wss.clients) {
      if (!this.alive.has(ws)) {
        ws.terminate();
        continue;
      }
      this.alive.delete(ws);
      ws.ping();
    }
  }

  private closed(conversation: Conversation, reason: CloseReason): void {
    const open = this.sockets.get(conversation.id);
    this.sockets.delete(conversation.id);
    for (const ws of open ?? []) ws.close(reason === 'shutdown' ? 1001 : 1000, `conversation ${reason}`);
    this.logger.debug({ conversationId: conversation.id, reason }, 'directline: conversation closed');
  }

  // ——— helpers ———

  private toBot(conversation: Conversation, activity: JsonActivity): Promise<number> {
    const body = JSON.stringify({ ...activity, serviceUrl: this.options.internalUrl() });
    const run = conversation.turn.then(async () => {
      const response = await fetch(`${this.options.internalUrl()}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(this.limits.botTimeoutMs),
      });
      await response.arrayBuffer();
      return response.status;
    });
    this.pendingTurns++;
    conversation.turn = run.catch(() => undefined).finally(() => this.pendingTurns--);
    return run;
  }

  private conversationUpdate(conversation: Conversation): JsonActivity {
    const user = { id: conversation.userId, role: 'user' };
    return {
      type: 'conversationUpdate',
      id: `${conversation.id}|update`,
      timestamp: new Date(this.now()).toISOString(),
      channelId,
      conversation: { id: conversation.id },
      from: user,
      recipient: { ...this.options.bot, role: 'bot' },
      membersAdded: [user],
      ...(conversation.locale ? { locale: conversation.locale } : {}),
    };
  }

  private conversationResponse(req: Request, conversation: Conversation, watermark: string | undefined) {
    const token = this.signer.sign(conversation.id, conversation.userId);
    const stream = new URL(`${this.publicBase(req)}${basePath}/conversations/${conversation.id}/stream`);
    stream.protocol = stream.protocol === 'https:' ? 'wss:' : 'ws:';
    if (watermark) stream.searchParams.set('watermark', watermark);
    stream.searchParams.set('t', token);
    return {
      conversationId: conversation.id,
      token,
      expires_in: this.signer.lifetimeSeconds,
      streamUrl: stream.toString(),
    };
  }

  private publicBase(req: Request): string {
    if (this.options.publicUrl) return this.options.publicUrl;
    const host = req.headers.host ?? '';
    const proto = req.headers['x-forwarded-proto'] === 'https' ? 'https' : 'http';
    return hostPattern.test(host) ? `${proto}://${host}` : this.options.internalUrl();
  }

  /** The token's claims, or an error response (401, 403, 429). */
  private authorize(req: Request, res: Response): TokenClaims | undefined {
    if (!this.allowIp(req, res)) return undefined;
    const check = this.signer.verify(bearer(req.headers.authorization));
    if (check.ok) return check.claims;
    if (check.reason === 'missing') {
      frenchError(res, 401, 'Unauthorized', 'Jeton Direct Line manquant (en-tête Authorization: Bearer).');
    } else {
      frenchError(res, 403, 'Forbidden', 'Jeton Direct Line invalide ou expiré : rechargez la page.');
    }
    return undefined;
  }

  /** The conversation named in the path, if the token grants it. */
  private conversation(
    req: Request,
    res: Response,
  ): { conversation: Conversation; claims: TokenClaims } | undefined {
    const claims = this.authorize(req, res);
    if (!claims) return undefined;
    if (claims.conv !== req.params.conversationId) {
      frenchError(res, 403, 'Forbidden', 'Ce jeton ne donne pas accès à cette conversation.');
      return undefined;
    }
    const conversation = this.store.get(claims.conv);
    if (!conversation) {
      frenchError(
        res,
        404,
        'ConversationNotFound',
        'Conversation inconnue ou expirée : commencez une nouvelle conversation.',
      );
      return undefined;
    }
    return { conversation, claims };
  }

  /** The bot's conversation and the activity it posts (send or update), or undefined once refused in French. */
  private botActivity(
    req: Request,
    res: Response,
  ): { conversation: Conversation; body: JsonActivity } | undefined {
    const conversation = this.botConversation(req, res);
    if (!conversation) return undefined;
    const body = req.body as unknown;
    if (!isActivity(body)) {
      frenchError(res, 400, 'BadArgument', 'Activité invalide : un objet JSON avec un type est attendu.');
      return undefined;
    }
    return { conversation, body };
  }

  /** Connector calls come from the bot in this very process: loopback only. */
  private botConversation(req: Request, res: Response): Conversation | undefined {
    if (!isLoopback(req.socket.remoteAddress)) {
      frenchError(res, 403, 'Forbidden', 'Adresse réservée à l’assistant lui-même.');
      return undefined;
    }
    const conversation = this.store.get(String(req.params.conversationId));
    if (!conversation) {
      frenchError(res, 404, 'ConversationNotFound', 'Conversation inconnue ou expirée.');
      return undefined;
    }
    return conversation;
  }

  private allowIp(req: Request, res: Response): boolean {
    return this.allow(res, this.ipLimiter, this.clientAddress(req));
  }

  private allow(res: Response, limiter: RateLimiter, key: string): boolean {
    const taken = limiter.take(key);
    if (taken.ok) return true;
    res.header('Retry-After', String(taken.retryAfter));
    frenchError(res, 429, 'TooManyRequests', tooManyRequests);
    return false;
  }
}

function isActivity(value: unknown): value is JsonActivity & { type: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as JsonActivity).type === 'string'
  );
}

function locale(value: unknown): string | undefined {
  return typeof value === 'string' && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(value) ? value : undefined;
}

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

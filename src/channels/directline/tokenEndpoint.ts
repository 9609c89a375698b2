import type { Request, Response, Server } from 'restify';
import type { Logger } from '../../log.js';
import { frenchError } from '../../server/http.js';
import { AzureDirectLineError, generateAzureToken } from './azure.js';
import type { ClientAddress } from '../../server/clientAddress.js';
import { defaultDirectLineLimits, type LocalDirectLine } from './localDirectLine.js';
import { RateLimiter } from './rateLimit.js';
import { newUserId, userIdPattern } from './token.js';

/** Where the page's Direct Line token comes from. */
export type TokenSource =
  | { kind: 'local'; directLine: LocalDirectLine }
  | { kind: 'azure'; secret: string; domain: string }
  | { kind: 'none' };

/**
 * `POST /api/directline/token` — the page's entry: `{ userId? }` in, `{ token, domain, userId, conversationId }` out.
 * The browser keeps `userId` (random, `dl_…`) in localStorage and sends it back, so a reload finds its diagnostic.
 */
export function registerTokenEndpoint(
  server: Server,
  source: TokenSource,
  logger: Logger,
  clientAddress: ClientAddress,
): void {
  const { capacity, perSecond } = defaultDirectLineLimits.tokensPerIp;
  const limiter = new RateLimiter(capacity, perSecond);

  server.post('/api/directline/token', async (req: Request, res: Response) => {
    res.header('Cache-Control', 'no-store');
    const given = (req.body as { userId?: unknown } | undefined)?.userId;
    const userId = typeof given === 'string' && userIdPattern.test(given) ? given : newUserId();

    if (source.kind === 'local') {
      source.directLine.issueToken(req, res, userId);
      return;
    }
    if (source.kind === 'none') {
      frenchError(
        res,
        503,
        'DirectLineUnavailable',
        'La discussion sur le web n’est pas configurée sur ce serveur (DIRECT_LINE_SECRET manquant).',
      );
      return;
    }
    const taken = limiter.take(clientAddress(req));
    if (!taken.ok) {
      res.header('Retry-After', String(taken.retryAfter));
      frenchError(res, 429, 'TooManyRequests', 'Trop de requêtes : patientez quelques secondes.');
      return;
    }
    try {
      const azure = await generateAzureToken(source.domain, source.secret, userId);
      res.json({
        token: azure.token,
        domain: source.domain,
        userId,
        conversationId: azure.conversationId,
        expiresIn: azure.expiresIn,
      });
    } catch (err) {
      logger.error(
        { err: err instanceof AzureDirectLineError ? err.message : err },
        'directline: token exchange failed',
      );
      frenchError(
        res,
        502,
        'DirectLineUnavailable',
        'Le service de discussion est momentanément indisponible. Réessayez dans un instant.',
      );
    }
  });
}

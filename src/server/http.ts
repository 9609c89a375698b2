import restify, { type Request, type Response, type Server } from 'restify';
import type { Logger } from '../log.js';

export const maxBodyBytes = 256 * 1024;

export function frenchError(res: Response, status: number, code: string, message: string): void {
  res.status(status);
  res.json({ error: { code, message } });
}

/** A restify server with the limits every route shares: body size, JSON parsing, French errors, no stack traces. */
export function createHttpServer(logger: Logger): Server {
  const server = restify.createServer({ name: 'assistant-maturite', handleUncaughtExceptions: false });
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
      const status = err.statusCode ?? 500;
      if (status >= 500) logger.error({ err, url: req.url }, 'http error');
      const messages: Record<number, string> = {
        400: 'Requête invalide : le contenu envoyé n’est pas du JSON valide.',
        404: 'Cette adresse n’existe pas.',
        405: 'Méthode non autorisée pour cette adresse.',
        413: `Message trop volumineux (limite : ${Math.round(maxBodyBytes / 1024)} Ko).`,
        415: 'Type de contenu non pris en charge : envoyez du JSON.',
      };
      const body = {
        error: {
          code: status,
          message: messages[status] ?? 'Erreur interne du serveur. Réessayez dans un instant.',
        },
      };
      // restify answers an error without statusCode with a new InternalError carrying its message: answer first.
      if (typeof err.statusCode !== 'number' && !res.headersSent) res.send(500, body);
      (err as unknown as { toJSON: () => unknown }).toJSON = () => body;
      return next();
    },
  );
  return server;
}

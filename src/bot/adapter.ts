import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type Response as BotResponse,
  type TurnContext,
} from 'botbuilder';
import type { Request, Response } from 'restify';
import { messages } from '../../dialogs/messages.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../log.js';
import { frenchError } from '../server/http.js';
import { StorageCorruptionError } from '../storage/storageErrors.js';

/**
 * The Bot Framework adapter. Without app credentials (local mode) it accepts unauthenticated activities, as the
 * Emulator and `deliveryMode: "expectReplies"` need; with them, every activity must carry a valid token. With
 * `MicrosoftAppType=UserAssignedMSI`, replies are signed with a token of the managed identity whose client id is
 * `MicrosoftAppId` (no password; the config requires `MicrosoftAppTenantId`).
 */
export function createAdapter(config: Config, logger: Logger): CloudAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.MicrosoftAppId ?? '',
    MicrosoftAppPassword: config.MicrosoftAppPassword ?? '',
    MicrosoftAppType: config.MicrosoftAppType ?? (config.MicrosoftAppId ? 'MultiTenant' : ''),
    MicrosoftAppTenantId: config.MicrosoftAppTenantId ?? '',
  } as ConfigurationBotFrameworkAuthenticationOptions);
  const adapter = new CloudAdapter(auth);

  adapter.onTurnError = turnErrorHandler(logger);
  return adapter;
}

/**
 * What a failed turn does: log it (the damaged file named, nothing people typed), and tell the person in French.
 * Their dialog position is kept (src/bot/assistantBot.ts), so answering again works.
 */
export function turnErrorHandler(logger: Logger): (context: TurnContext, error: Error) => Promise<void> {
  return async (context, error) => {
    const where = {
      conversationId: context.activity.conversation?.id,
      channelId: context.activity.channelId,
    };
    const damaged = damageIn(error);
    logger.error(
      { ...where, err: loggable(error), ...(damaged ? { file: damaged.file } : {}) },
      damaged ? 'stored record damaged: repair or delete the file' : 'turn failed',
    );
    try {
      await context.sendActivity(damaged ? damagedDataMessage : messages.apology);
    } catch (sendError) {
      logger.warn(
        { err: loggable(sendError), conversationId: where.conversationId },
        'apology not delivered',
      );
    }
  };
}

/** Said when a stored record cannot be read: trying again will not help until someone repairs the file. */
export const damagedDataMessage =
  "Désolé : une partie de vos données enregistrées est endommagée et je ne peux pas la lire pour l'instant. " +
  "Rien n'a été modifié, et l'équipe qui gère l'assistant a été prévenue. Réessayez un peu plus tard.";

/** The storage corruption behind a turn's failure, also when wrapped (`cause`, or botbuilder-dialogs' `error`). */
function damageIn(error: unknown): StorageCorruptionError | undefined {
  let e = error;
  for (let depth = 0; e instanceof Error && depth < 5; depth++) {
    if (e instanceof StorageCorruptionError) return e;
    e = e.cause ?? (e as { error?: unknown }).error;
  }
  return undefined;
}

/** An error without what botbuilder-dialogs attaches to it (the dialog stack and state, which hold what people typed). */
function loggable(error: unknown): { name: string; message: string; stack?: string } {
  const e = error instanceof Error ? error : new Error(String(error));
  return { name: e.name, message: e.message, ...(e.stack ? { stack: e.stack } : {}) };
}

const refusals: Record<number, { code: string; message: string }> = {
  400: { code: 'InvalidActivity', message: 'Activité invalide : le message n’a pas pu être lu.' },
  401: { code: 'unauthorized', message: 'Authentification Bot Framework requise ou invalide.' },
  405: { code: 'MethodNotAllowed', message: 'Méthode non autorisée pour cette adresse.' },
};
const failure = {
  code: 'internal',
  message: 'Le message n’a pas pu être traité. Réessayez dans un instant.',
};

/**
 * POST /api/messages, once `checkActivity` (src/server/limits.ts) has accepted the body: the SDK's own
 * `CloudAdapter.process`, given a response that answers its errors (English text) in the project's French format.
 */
export async function processRequest(
  adapter: CloudAdapter,
  req: Request,
  res: Response,
  logic: (context: TurnContext) => Promise<void>,
  logger: Logger,
): Promise<void> {
  const conversationId = (req.body as { conversation?: { id?: unknown } }).conversation?.id;
  let status = 200;
  const refuse = () => {
    if (status === 401) logger.warn({ conversationId }, 'activity refused: not authenticated');
    else logger.error({ status, conversationId }, 'activity not processed');
    const { code, message } = refusals[status] ?? failure;
    frenchError(res, status, code, message);
  };
  const reply: BotResponse = {
    socket: res.socket,
    header: (name, value) => res.header(name, value),
    status: (code) => {
      status = code;
      res.status(code);
    },
    send: (body) => (status < 400 ? res.send(body) : refuse()),
    end: () => {
      if (status >= 400 && !res.headersSent) refuse();
      else if (!res.writableEnded) res.end();
    },
  };
  try {
    await adapter.process(req, reply, logic);
  } catch (err) {
    // The SDK's own checks of the request, outside its try (checkActivity refuses such activities before).
    logger.error({ err: loggable(err), conversationId }, 'activity not processed');
    if (!res.headersSent) frenchError(res, 500, failure.code, failure.message);
  }
}

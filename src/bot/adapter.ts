import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  StatusCodes,
  type Activity,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type ConversationState,
  type InvokeResponse,
  type TurnContext,
} from './botbuilder.js';
import { AuthenticationError } from 'botframework-connector';
import type { Request, Response } from 'restify';
import { messages } from '../../dialogs/messages.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../log.js';
import { frenchError } from '../server/http.js';
import { StorageCorruptionError } from '../storage/storageErrors.js';
import { ReusedClientsAuthentication } from './reusedClients.js';

/** `CloudAdapter` with its turn processing reachable from our own route (`processRequest`). */
export class AssistantAdapter extends CloudAdapter {
  processAuthenticated(
    authorization: string,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return this.processActivity(authorization, activity, logic);
  }
}

/**
 * The Bot Framework adapter. Without app credentials (local mode) it accepts unauthenticated activities, as the
 * Emulator and `deliveryMode: "expectReplies"` need; with them, every activity must carry a valid token. Connector
 * clients are reused from one activity to the next (src/bot/reusedClients.ts).
 */
export function createAdapter(
  config: Config,
  logger: Logger,
  conversationState: ConversationState,
): AssistantAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.MicrosoftAppId ?? '',
    MicrosoftAppPassword: config.MicrosoftAppPassword ?? '',
    MicrosoftAppType: config.MicrosoftAppType ?? (config.MicrosoftAppId ? 'MultiTenant' : ''),
    MicrosoftAppTenantId: config.MicrosoftAppTenantId ?? '',
  } as ConfigurationBotFrameworkAuthenticationOptions);
  const adapter = new AssistantAdapter(new ReusedClientsAuthentication(auth));

  adapter.onTurnError = async (context: TurnContext, error: Error) => {
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
      logger.warn({ err: sendError, conversationId: where.conversationId }, 'apology not delivered');
    }
    // Only the dialog position is dropped: answers live in their own records and "reprendre" finds them.
    try {
      await conversationState.delete(context);
      await conversationState.saveChanges(context, true);
    } catch {
      // botbuilder throws synchronously on activities it cannot key (no conversation id): nothing to drop then.
    }
  };
  return adapter;
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

/**
 * POST /api/messages, once `checkActivity` (src/server/limits.ts) has accepted the body: what `CloudAdapter.process`
 * does — timestamps made dates, `processActivity` (authentication, the turn, `expectReplies` replies or an invoke
 * response) — without the zod schemas it builds and checks again on every request (≈ 5 % of a turn here), and with
 * French errors in the project's format instead of botbuilder's English message and `console.error`.
 */
export async function processRequest(
  adapter: AssistantAdapter,
  req: Request,
  res: Response,
  logic: (context: TurnContext) => Promise<void>,
  logger: Logger,
): Promise<void> {
  const activity = withDates(req.body as Activity & Record<string, unknown>);
  const header = req.headers.authorization;
  try {
    const invokeResponse = await adapter.processAuthenticated(
      typeof header === 'string' ? header : '',
      activity,
      logic,
    );
    res.status(invokeResponse?.status ?? StatusCodes.OK);
    if (invokeResponse?.body !== undefined) res.send(invokeResponse.body);
    res.end();
  } catch (err) {
    if (err instanceof AuthenticationError) {
      logger.warn({ channelId: activity.channelId }, 'activity refused: not authenticated');
      return frenchError(res, 401, 'unauthorized', 'Authentification Bot Framework requise ou invalide.');
    }
    logger.error({ err: loggable(err), conversationId: activity.conversation?.id }, 'activity not processed');
    frenchError(res, 500, 'internal', 'Le message n’a pas pu être traité. Réessayez dans un instant.');
  }
}

/** As botbuilder's `validateAndFixActivity`: ISO strings of the wire become `Date`s, the raw strings are kept. */
function withDates(activity: Activity & Record<string, unknown>): Activity {
  for (const [field, raw] of [
    ['timestamp', 'rawTimestamp'],
    ['localTimestamp', 'rawLocalTimestamp'],
    ['expiration', 'rawExpiration'],
  ] as const) {
    const value: unknown = activity[field];
    if (typeof value === 'string') {
      activity[raw] = value;
      (activity as Record<string, unknown>)[field] = new Date(value);
    }
  }
  return activity;
}

import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type ConversationState,
  type TurnContext,
} from 'botbuilder';
import { messages } from '../../dialogs/messages.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../log.js';
import { StorageCorruptionError } from '../storage/lowdbStorage.js';
import { ReusedClientsAuthentication } from './reusedClients.js';

/**
 * The Bot Framework adapter. Without app credentials (local mode) it accepts unauthenticated activities, as the
 * Emulator and `deliveryMode: "expectReplies"` need; with them, every activity must carry a valid token.
 */
export function createAdapter(
  config: Config,
  logger: Logger,
  conversationState: ConversationState,
): CloudAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.MicrosoftAppId ?? '',
    MicrosoftAppPassword: config.MicrosoftAppPassword ?? '',
    MicrosoftAppType: config.MicrosoftAppType ?? (config.MicrosoftAppId ? 'MultiTenant' : ''),
    MicrosoftAppTenantId: config.MicrosoftAppTenantId ?? '',
  } as ConfigurationBotFrameworkAuthenticationOptions);
  const adapter = new CloudAdapter(new ReusedClientsAuthentication(auth));

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

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

/**
 * The Bot Framework adapter. Without app credentials (local mode) it accepts unauthenticated activities, as the
 * Emulator and `deliveryMode: "expectReplies"` need; with them, every activity must carry a valid token.
 */
export function createAdapter(config: Config, logger: Logger, conversationState: ConversationState): CloudAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.MicrosoftAppId ?? '',
    MicrosoftAppPassword: config.MicrosoftAppPassword ?? '',
    MicrosoftAppType: config.MicrosoftAppType ?? (config.MicrosoftAppId ? 'MultiTenant' : ''),
    MicrosoftAppTenantId: config.MicrosoftAppTenantId ?? '',
  } as ConfigurationBotFrameworkAuthenticationOptions);
  const adapter = new CloudAdapter(auth);

  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    logger.error(
      { err: error, conversationId: context.activity.conversation?.id, channelId: context.activity.channelId },
      'turn failed',
    );
    try {
      await context.sendActivity(messages.apology);
    } catch (sendError) {
      logger.warn({ err: sendError, conversationId: context.activity.conversation?.id }, 'apology not delivered');
    }
    // Only the dialog position is dropped: answers live in their own records and "reprendre" finds them.
    await conversationState.delete(context).catch(() => undefined);
    await conversationState.saveChanges(context, true).catch(() => undefined);
  };
  return adapter;
}

import {
  TeamsActivityHandler,
  TurnContext,
  type ConversationState,
  type StatePropertyAccessor,
} from 'botbuilder';
import { DialogSet, DialogTurnStatus, type DialogState } from '../../dialogs/botbuilderDialogs.js';
import { routerDialogId, type RouterDialog } from '../../dialogs/routerDialog.js';
import { KeyedLock } from '../util/keyedLock.js';

/**
 * The bot: Teams or web, one dialog tree. Turns of one conversation run one at a time, so a double click
 * neither records twice nor skips a question; the conversation state is saved at the end of each turn.
 */
export class AssistantBot extends TeamsActivityHandler {
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  private readonly welcomed: StatePropertyAccessor<boolean>;
  private readonly dialogs: DialogSet;
  private readonly turns = new KeyedLock();

  constructor(
    private readonly conversationState: ConversationState,
    private readonly router: RouterDialog,
  ) {
    super();
    this.dialogState = conversationState.createProperty('dialogState');
    this.welcomed = conversationState.createProperty('welcomed');
    this.dialogs = new DialogSet(this.dialogState).add(router);

    this.onMessage(async (context, next) => {
      if (context.activity.text) {
        context.activity.text =
          TurnContext.removeRecipientMention(context.activity)?.trim() ?? context.activity.text;
      }
      const dc = await this.dialogs.createContext(context);
      const result = await dc.continueDialog();
      if (result.status === DialogTurnStatus.empty) await dc.beginDialog(routerDialogId);
      await next();
    });

    this.onMembersAdded(async (context, next) => {
      if (!(await this.welcomed.get(context, false))) {
        await this.welcomed.set(context, true);
        const dc = await this.dialogs.createContext(context);
        await this.router.sendMenu(dc, true);
      }
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    const key = `${context.activity.channelId}/${context.activity.conversation?.id}`;
    await this.turns.run(key, async () => {
      await super.run(context);
      await this.conversationState.saveChanges(context, false);
    });
  }
}

import {
  TeamsActivityHandler,
  TurnContext,
  type Activity,
  type ConversationState,
  type StatePropertyAccessor,
} from './botbuilder.js';
import {
  DialogSet,
  DialogTurnStatus,
  type DialogState,
  type DialogStateManagerConfiguration,
} from '../../dialogs/botbuilderDialogs.js';
import { routerDialogId, type RouterDialog } from '../../dialogs/routerDialog.js';
import { KeyedLock } from '../util/keyedLock.js';

/** Where botbuilder-dialogs' DialogStateManager looks for (and caches) its configuration in a turn's state. */
export const memoryConfigurationKey = 'DialogStateManagerConfiguration';

/**
 * The bot: Teams or web, one dialog tree. Turns of one conversation run one at a time, so a double click
 * neither records twice nor skips a question; the conversation state is saved at the end of each turn.
 */
export class AssistantBot extends TeamsActivityHandler {
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  private readonly welcomed: StatePropertyAccessor<boolean>;
  private readonly dialogs: DialogSet;
  private readonly turns = new KeyedLock();
  /** The memory scopes and path resolvers of botbuilder-dialogs, as it built them on the first turn. */
  private memoryConfiguration: DialogStateManagerConfiguration | undefined;

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
    withoutNulls(context.activity);
    // Teams says what a message update or deletion is in channelData, and botbuilder's Teams handler reads it
    // without checking that it is there: an activity without it would fail the turn. Teams always sends one.
    if (context.activity.channelId === 'msteams') context.activity.channelData ??= {};
    const key = `${context.activity.channelId}/${context.activity.conversation?.id}`;
    await this.turns.run(key, async () => {
      // Every DialogContext's DialogStateManager builds its memory scopes anew (a service collection, nine scope
      // objects, a zod check: ≈ 5 % of a turn, docs/benchmarks.md) unless the turn already holds them, under this
      // key. They are stateless, so the first turn's serve every later one.
      if (this.memoryConfiguration) context.turnState.set(memoryConfigurationKey, this.memoryConfiguration);
      await super.run(context);
      this.memoryConfiguration ??=
        context.turnState.get<DialogStateManagerConfiguration>(memoryConfigurationKey);
      await this.conversationState.saveChanges(context, false);
    });
  }
}

/**
 * JSON's `null` in a field of the activity means the field is absent, but botbuilder tells them apart in places:
 * `TurnContext.getMentions` walks `entities` whenever it is not `undefined`, so `"entities": null` failed the turn.
 * The activity's own fields are made absent when null (what is inside them was checked by src/server/limits.ts).
 */
function withoutNulls(activity: Activity): void {
  const fields = activity as unknown as Record<string, unknown>;
  for (const key of Object.keys(fields)) if (fields[key] === null) delete fields[key];
}

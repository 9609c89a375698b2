import {
  ConversationState,
  PrivateConversationState,
  TeamsActivityHandler,
  TurnContext,
  type Activity,
  type StatePropertyAccessor,
  type Storage,
} from 'botbuilder';
import { DialogSet, DialogTurnStatus, type DialogState } from 'botbuilder-dialogs';
import { routerDialogId, type RouterDialog } from '../../dialogs/routerDialog.js';
import { measureTurn, noteDialog } from '../telemetry/turns.js';
import { KeyedLock } from '../util/keyedLock.js';

/** A turn that fails this many times in a row for one person drops their dialog position, so they are never stuck. */
export const failuresBeforeReset = 2;

/**
 * The bot: Teams or web, one dialog tree. Each person has their own dialog position in a conversation (private
 * conversation state), so in a Teams group chat or channel nobody answers in someone else's place. Turns of one
 * conversation run one at a time (a double click neither records twice nor skips a question); the state is saved at
 * the end of each turn. A failed turn keeps the position it started from: answering again works.
 */
export class AssistantBot extends TeamsActivityHandler {
  private readonly conversationState: ConversationState;
  private readonly personalState: PrivateConversationState;
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  private readonly failedTurns: StatePropertyAccessor<number>;
  private readonly welcomed: StatePropertyAccessor<boolean>;
  private readonly dialogs: DialogSet;
  private readonly turns = new KeyedLock();

  constructor(
    storage: Storage,
    private readonly router: RouterDialog,
  ) {
    super();
    this.conversationState = new ConversationState(storage);
    this.personalState = new PrivateConversationState(storage);
    this.dialogState = this.personalState.createProperty('dialogState');
    this.failedTurns = this.personalState.createProperty('failedTurns');
    this.welcomed = this.conversationState.createProperty('welcomed');
    this.dialogs = new DialogSet(this.dialogState).add(router);

    this.onMessage(async (context, next) => {
      if (context.activity.text) {
        context.activity.text =
          TurnContext.removeRecipientMention(context.activity)?.trim() ?? context.activity.text;
      }
      const dc = await this.dialogs.createContext(context);
      noteDialog(context, dc);
      const result = await dc.continueDialog();
      if (result.status === DialogTurnStatus.empty) await dc.beginDialog(routerDialogId);
      noteDialog(context, dc);
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
    await measureTurn(context, () =>
      this.turns.run(key, async () => {
        try {
          await super.run(context);
          await this.failedTurns.delete(context);
        } catch (error) {
          await this.rememberFailure(context);
          throw error;
        }
        await this.saveState(context);
      }),
    );
  }

  private async saveState(context: TurnContext): Promise<void> {
    await this.conversationState.saveChanges(context, false);
    await this.personalState.saveChanges(context, false);
  }

  /**
   * Back to the state stored before this turn (what the failed turn changed is not kept), with one more failure
   * counted; past `failuresBeforeReset`, or when it cannot be read at all, the dialog position goes too.
   */
  private async rememberFailure(context: TurnContext): Promise<void> {
    try {
      await this.personalState.load(context, true);
    } catch {
      // The dialog position itself cannot be read (a damaged file): it starts afresh, the answers are elsewhere.
      await this.personalState.delete(context).catch(() => undefined);
      return;
    }
    try {
      const failures = (await this.failedTurns.get(context, 0)) + 1;
      if (failures >= failuresBeforeReset) {
        await this.dialogState.delete(context);
        await this.failedTurns.delete(context);
      } else {
        await this.failedTurns.set(context, failures);
      }
      await this.personalState.saveChanges(context, false);
    } catch {
      // The storage itself failing, or an activity botbuilder cannot key: onTurnError still reports the turn.
    }
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

import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import type { TurnContext } from 'botbuilder';
import {
  ElusAssistant,
  asksSomething,
  readStartValue,
  relatedTopics,
  type Mentions,
} from '../src/domain/elus/assistant.js';
import type { ElusProfile } from '../src/domain/elus/profile.js';
import type { Command } from '../src/domain/language/commands.js';
import type { DialogDeps } from './deps.js';
import {
  ElusDialog,
  elusDialogId,
  elusMessages,
  sendTopicAnswer,
  sendTopicSuggestions,
  type ElusDialogOptions,
} from './elusDialog.js';
import type { RouterExtension } from './routerDialog.js';

/**
 * « Convaincre mon élu » in the router: the `convaincre` command (typed, from the menu or from the results card)
 * starts the guided path; free text about élus, budget, arguments… is answered directly.
 */
export function elusExtension(deps: DialogDeps, assistant: ElusAssistant): RouterExtension {
  return {
    dialogs: [new ElusDialog(deps, assistant)],

    async command(dc: DialogContext, command: Command): Promise<DialogTurnResult | undefined> {
      if (command !== 'convaincre') return undefined;
      const prefill = currentTopicPrefill(dc, assistant);
      await dc.cancelAllDialogs();
      await dc.beginDialog(elusDialogId, { mode: 'guided', prefill } satisfies ElusDialogOptions);
      return Dialog.EndOfTurn;
    },

    async cardAction(dc: DialogContext, field: string, value: string): Promise<DialogTurnResult | undefined> {
      // Buttons of an answer card shown on the way (during a diagnostic) or on an old card, outside this dialog.
      if (dc.activeDialog?.id === elusDialogId) return undefined;
      if (field === 'elus_start') {
        await dc.cancelAllDialogs();
        const { topicId, mentions } = readStartValue(value);
        const prefill = assistant.answer(topicId, mentions)?.prefill ?? {};
        await dc.beginDialog(elusDialogId, { mode: 'guided', prefill } satisfies ElusDialogOptions);
        return Dialog.EndOfTurn;
      }
      if (field !== 'elus_topic' || !assistant.referential.topic(value)) return undefined;
      if (!dc.activeDialog) {
        await dc.beginDialog(elusDialogId, {
          mode: 'answer',
          topicId: value,
          related: [],
        } satisfies ElusDialogOptions);
        return Dialog.EndOfTurn;
      }
      await sendTopicAnswer(dc.context, assistant, value, []);
      await dc.repromptDialog();
      return Dialog.EndOfTurn;
    },

    // A question about élus typed while another flow waits for an answer (« mon maire dit que c'est pas une
    // priorité » during question 7): answered when the classifier is sure, or the closest topics when it asks.
    async inPassing(context: TurnContext, text: string): Promise<boolean> {
      const classification = assistant.ask(text);
      if (classification.kind === 'sure') {
        const { id } = classification.best.topic;
        const related = relatedTopics(classification.ranking);
        await sendTopicAnswer(context, assistant, id, related, assistant.mentionsOf(text));
        return true;
      }
      if (classification.kind === 'weak' && asksSomething(text)) {
        const topics = classification.ranking.slice(0, 3).map((m) => m.topic.id);
        await sendTopicSuggestions(context, assistant, topics);
        return true;
      }
      return false;
    },

    async freeText(dc: DialogContext, text: string): Promise<DialogTurnResult | undefined> {
      const classification = assistant.ask(text);
      if (classification.kind === 'none') {
        // A question in the guide's field that it does not answer: say so rather than « pas compris ».
        if (!asksSomething(text) || !assistant.index.signal(text).cue) return undefined;
        await dc.context.sendActivity(elusMessages.guideSilent);
        return Dialog.EndOfTurn;
      }
      const options: ElusDialogOptions =
        classification.kind === 'sure'
          ? {
              mode: 'answer',
              topicId: classification.best.topic.id,
              related: relatedTopics(classification.ranking),
              mentions: assistant.mentionsOf(text),
            }
          : classification.kind === 'argumentaire'
            ? { mode: 'guided' }
            : { mode: 'suggest', topics: classification.ranking.slice(0, 3).map((m) => m.topic.id) };
      await dc.beginDialog(elusDialogId, options);
      return Dialog.EndOfTurn;
    },
  };
}

/** Loads referential/elus.json (stopping the start-up with a clear message on a bad edit) and builds the index once. */
export function createElusExtension(deps: DialogDeps, referentialDir: string): RouterExtension {
  return elusExtension(deps, ElusAssistant.load(referentialDir));
}

/** Typing « argumentaire » under a direct answer builds it from that answer's topic. */
function currentTopicPrefill(dc: DialogContext, assistant: ElusAssistant): ElusProfile {
  const active = dc.activeDialog;
  if (active?.id !== elusDialogId) return {};
  const { topicId, mentions } = active.state as { topicId?: string; mentions?: Mentions };
  return (topicId && assistant.answer(topicId, mentions)?.prefill) || {};
}

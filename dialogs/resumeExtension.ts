import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { JoinAttemptLimiter, joinWaitMessage } from '../src/domain/collectivite/joinAttempts.js';
import {
  issueResumeCode,
  resumeRefusalMessages,
  revokeResumeCode,
  useResumeCode,
} from '../src/domain/identity/resumeCode.js';
import type { Command } from '../src/domain/language/commands.js';
import { normalize } from '../src/domain/language/normalize.js';
import { formatDate } from '../src/reports/format.js';
import type { DialogDeps } from './deps.js';
import { answerAs, deviceIdentityOf, guesserKeys, identityOf, isGroupConversation } from './identity.js';
import type { RouterExtension } from './routerDialog.js';

/** « …sur un autre ordinateur », « …depuis Teams »: someone who wants their diagnostic on this device. */
const otherDevice = new RegExp(
  String.raw`\b(repren|reprise|continu|retrouv|recuper|fini|termin)\w*\b.*\b(` +
    String.raw`(un |l |mon |ma |le |la |autre |nouvel |nouveau )+(ordinateur|appareil|poste|telephone|navigateur|pc|portable|tablette|mobile|smartphone)` +
    String.raw`|(depuis|dans|sur) (teams|le web|la page web|internet))\b`,
);

const say = async (dc: DialogContext, text: string) => {
  await dc.context.sendActivity(text);
  return Dialog.EndOfTurn;
};

/** The sentence that gives a person their resume code (only in a conversation with them alone). */
export async function resumeCodeLine(deps: DialogDeps, dc: DialogContext): Promise<string> {
  if (isGroupConversation(dc.context.activity))
    return 'Pour continuer sur un autre appareil, demandez « code de reprise » dans une conversation privée avec l’assistant.';
  const { code, expiresAt } = await issueResumeCode(deps.service.store, identityOf(dc.context).respondentId);
  return `Sur un autre appareil, ou dans Teams depuis le web (et inversement), tapez « reprendre ${code} » : vous continuerez où vous en êtes. Ce code personnel est valable jusqu’au ${formatDate(expiresAt)} ; ne le partagez pas (« révoquer le code de reprise » le désactive).`;
}

/**
 * Carrying one's own diagnostic to another device or channel: « code de reprise » gives the personal code,
 * « reprendre CODE » on the other device continues as the same person, « révoquer le code de reprise » cuts it off.
 */
export function resumeExtension(
  deps: DialogDeps,
  attempts: JoinAttemptLimiter = new JoinAttemptLimiter(),
): RouterExtension {
  const { store } = deps.service;
  return {
    async command(dc: DialogContext, command: Command, argument?: string) {
      if (command === 'code_reprise') return say(dc, await resumeCodeLine(deps, dc));
      if (command === 'revoquer_reprise') {
        const revoked = await revokeResumeCode(store, identityOf(dc.context).respondentId);
        return say(
          dc,
          revoked
            ? 'Votre code de reprise est désactivé, et les appareils où vous l’aviez utilisé n’ont plus accès à vos réponses. « code de reprise » en donne un nouveau.'
            : "Vous n'aviez pas de code de reprise actif.",
        );
      }
      if (command !== 'reprendre' || !argument) return undefined;
      const device = deviceIdentityOf(dc.context.activity).respondentId;
      const guessers = guesserKeys(dc.context.activity, device);
      const allowed = attempts.check(guessers);
      if (!allowed.ok) return say(dc, joinWaitMessage(allowed.retryInSeconds, 'reprise'));
      const used = await useResumeCode(store, argument, device);
      if (!used.ok) {
        if (used.reason === 'code-inconnu') attempts.recordFailure(guessers);
        return say(dc, resumeRefusalMessages[used.reason]);
      }
      attempts.recordSuccess(guessers);
      answerAs(dc.context, used.respondentId);
      await dc.context.sendActivity(
        'C’est bien votre code : vos diagnostics sont maintenant aussi sur cet appareil.',
      );
      return undefined;
    },

    async freeText(dc: DialogContext, text: string): Promise<DialogTurnResult | undefined> {
      if (!otherDevice.test(normalize(text))) return undefined;
      return say(
        dc,
        'Pour continuer ici un diagnostic commencé ailleurs : sur l’appareil (ou dans Teams, ou sur la page web) où vous avez commencé, tapez « code de reprise » ; puis, ici, tapez « reprendre » suivi de ce code (par exemple « reprendre 7KQ2M-XP9RT-4HWZC »). Vous reprendrez à la première question sans réponse, avec toutes vos réponses.',
      );
    },
  };
}

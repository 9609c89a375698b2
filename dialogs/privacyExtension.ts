import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { CardFactory, MessageFactory } from 'botbuilder';
import { matchChoice } from '../src/domain/language/choices.js';
import {
  createPersonalDataLink,
  deletePersonalData,
  exportPersonalData,
  personalDataLinkMinutes,
} from '../src/privacy/personalData.js';
import type { KeyLister } from '../src/storage/keyLister.js';
import { choiceCard } from '../cards/choiceCard.js';
import type { DialogDeps } from './deps.js';
import { identityOf } from './identity.js';
import { readInput } from './input.js';
import type { RouterExtension } from './routerDialog.js';

const confirmDeletionId = 'confirmDeletion';
const confirmOptions = [
  {
    value: 'oui',
    label: 'Oui, supprimer mes données',
    synonyms: ['oui', 'supprimer', 'confirmer', 'je confirme', 'ok'],
  },
  { value: 'non', label: 'Non, les garder', synonyms: ['non', 'garder', 'annuler', 'surtout pas'] },
];

/** Asks once more before erasing: nothing is deleted on a stray tap. */
class ConfirmDeletionDialog extends Dialog {
  constructor(
    private readonly deps: DialogDeps,
    private readonly lister?: KeyLister,
  ) {
    super(confirmDeletionId);
  }

  override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
    await dc.context.sendActivity(
      MessageFactory.attachment(
        CardFactory.adaptiveCard(
          choiceCard({
            field: 'privacy_delete',
            question: 'Supprimer toutes vos données ?',
            help:
              'Votre fiche, votre place dans les collectivités et vos diagnostics rapides faits seul seront effacés. ' +
              'Les diagnostics de collectivité gardent les réponses, qui appartiennent à la collectivité, mais plus rien ne dit que vous les avez données. ' +
              'Cette action est définitive.',
            choices: confirmOptions.map((o) => ({ title: o.label, value: o.value })),
          }),
        ),
      ),
    );
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const input = readInput(dc.context);
    const typed =
      input.kind === 'choice' && input.field === 'privacy_delete'
        ? input.value
        : input.kind === 'text'
          ? input.text
          : '';
    const answer = matchChoice(typed, confirmOptions);
    if (answer !== 'oui') {
      await dc.context.sendActivity(
        answer === 'non'
          ? 'Rien n’a été supprimé.'
          : 'Rien n’a été supprimé : il faut confirmer avec « oui » pour effacer vos données.',
      );
      return dc.endDialog();
    }
    const { respondentId } = identityOf(dc.context);
    const summary = await deletePersonalData(
      this.deps.service.store,
      respondentId,
      this.lister ? { lister: this.lister } : {},
    );
    await dc.context.sendActivity(
      `C'est fait : vos données sont supprimées (${summary.diagnosticsDeleted.length} diagnostic${summary.diagnosticsDeleted.length > 1 ? 's' : ''} personnel${summary.diagnosticsDeleted.length > 1 ? 's' : ''} effacé${summary.diagnosticsDeleted.length > 1 ? 's' : ''}, ` +
        `${summary.diagnosticsAnonymised.length} diagnostic${summary.diagnosticsAnonymised.length > 1 ? 's' : ''} de collectivité rendu${summary.diagnosticsAnonymised.length > 1 ? 's' : ''} anonyme${summary.diagnosticsAnonymised.length > 1 ? 's' : ''}). ` +
        'Si vous écrivez de nouveau, l’assistant repartira de zéro.',
    );
    if (summary.unreadable.length > 0) {
      this.deps.logger.warn(
        { unreadable: summary.unreadable },
        'erasure: damaged records not checked, repair or delete them',
      );
      const n = summary.unreadable.length;
      await dc.context.sendActivity(
        `Attention : ${n} enregistrement${n > 1 ? 's' : ''} endommagé${n > 1 ? 's' : ''} n'${n > 1 ? 'ont' : 'a'} pas pu être vérifié${n > 1 ? 's' : ''} et peu${n > 1 ? 'vent' : 't'} encore vous concerner. ` +
          "L'équipe qui gère l'assistant a été prévenue ; redemandez « supprimer mes données » dans quelques jours.",
      );
    }
    return dc.endDialog();
  }
}

/**
 * "mes données" and "supprimer mes données" (RGPD articles 15, 17 and 20). With `lister` (the app's storage), erasure
 * checks every record of the store; without it, only those the person's record points to.
 */
export function privacyExtension(deps: DialogDeps, lister?: KeyLister): RouterExtension {
  return {
    dialogs: [new ConfirmDeletionDialog(deps, lister)],
    async command(dc, command) {
      if (command === 'supprimer_donnees') {
        await dc.cancelAllDialogs();
        return dc.beginDialog(confirmDeletionId);
      }
      if (command !== 'mes_donnees') return undefined;
      const { respondentId } = identityOf(dc.context);
      const data = await exportPersonalData(deps.service.store, respondentId);
      const answers = data.diagnostics.reduce((n, d) => n + Object.keys(d.latestAnswers).length, 0);
      const json = JSON.stringify(data, null, 2);
      await dc.context.sendActivity(
        `Voici ce que l'assistant garde sur vous : ${data.respondent ? 'une fiche (dates de passage, diagnostic en cours)' : 'aucune fiche'}, ` +
          `${data.collectivites.length} collectivité${data.collectivites.length > 1 ? 's' : ''}, ${data.diagnostics.length} diagnostic${data.diagnostics.length > 1 ? 's' : ''} et ${answers} réponse${answers > 1 ? 's' : ''} données par vous. ` +
          'Rien d’autre : ni nom, ni adresse e-mail. Le fichier JSON contient tout. « supprimer mes données » efface votre fiche.',
      );
      const token = await createPersonalDataLink(deps.service.store, respondentId);
      await dc.context.sendActivity(
        `[Télécharger mes données (JSON)](${deps.publicUrl(dc.context)}/mes-donnees/${token}) — lien personnel, valable ${personalDataLinkMinutes} minutes, une seule fois.`,
      );
      // Teams shows no data-URI file: there, the link above is the way; Web Chat and the Emulator offer the file too.
      if (dc.context.activity.channelId === 'msteams') return Dialog.EndOfTurn;
      await dc.context.sendActivity({
        type: 'message',
        attachments: [
          {
            contentType: 'application/json',
            name: 'mes-donnees-assistant-maturite.json',
            contentUrl: `data:application/json;base64,${Buffer.from(json).toString('base64')}`,
          },
        ],
      });
      return Dialog.EndOfTurn;
    },
  };
}

import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { CardFactory, MessageFactory } from 'botbuilder';
import {
  checkCollectiviteName,
  collectiviteTypeLabels,
  collectiviteTypes,
  territoryTraits,
  type CollectiviteType,
  type TerritoryTrait,
  typeFromName,
} from '../src/domain/collectivite/collectivite.js';
import { choiceByValue, matchChoice, type ChoiceOption } from '../src/domain/language/choices.js';
import { normalize } from '../src/domain/language/normalize.js';
import type { Scope } from '../src/domain/scoring/scope.js';
import { choiceCard } from '../cards/choiceCard.js';
import { plain } from '../cards/template.js';
import { traitsCard } from '../cards/traitsCard.js';
import type { DialogDeps } from './deps.js';
import { diagnosticDialogId } from './diagnosticDialog.js';
import { identityOf } from './identity.js';
import { readInput } from './input.js';

export const setupDialogId = 'setup';

type Step = 'pick' | 'name' | 'type' | 'traits' | 'scope';

interface SetupState {
  step: Step;
  collectiviteId?: string;
  name?: string;
  type?: CollectiviteType;
  traits?: TerritoryTrait[];
}

const typeOptions: ChoiceOption<CollectiviteType>[] = collectiviteTypes.map((value) => ({
  value,
  label: collectiviteTypeLabels[value],
  synonyms: {
    commune: ['mairie', 'ville', 'village', 'municipalite', 'ccas', 'commune nouvelle'],
    intercommunalite: [
      'interco',
      'epci',
      'communaute de communes',
      'communaute d agglomeration',
      'agglo',
      'agglomeration',
      'metropole',
      'cc',
      'ca',
      'communaute urbaine',
      'cu',
    ],
    departement: ['departement', 'conseil departemental', 'cd', 'le departement'],
    region: ['region', 'conseil regional', 'la region'],
    autre: ['autre chose', 'syndicat', 'gip', 'pays', 'pnr', 'association'],
  }[value],
}));

const traitWords: Record<TerritoryTrait, string[]> = {
  rural: ['rural', 'rurale', 'zrr', 'campagne'],
  qpv: ['qpv', 'quartier', 'quartiers', 'politique de la ville'],
  environnement: ['environnement', 'environnementale', 'ecologie', 'ecologique', 'transition', 'climat'],
};

export function parseTraits(text: string): TerritoryTrait[] | undefined {
  const input = normalize(text);
  if (/^(aucun|aucune|non|rien|0|ni l un ni l autre|aucune de ces situations|passer)$/.test(input)) return [];
  const found = new Set<TerritoryTrait>();
  for (const token of input.split(' ')) {
    const n = Number(token);
    if (Number.isInteger(n) && n >= 1 && n <= territoryTraits.length) found.add(territoryTraits[n - 1]!);
  }
  for (const trait of territoryTraits)
    if (traitWords[trait].some((w) => ` ${input} `.includes(` ${w} `))) found.add(trait);
  return found.size > 0 ? [...found] : undefined;
}

/** Asks once for the collectivité (name, type, territory) and the scope, then hands over to the question loop. */
export class SetupDialog extends Dialog {
  constructor(private readonly deps: DialogDeps) {
    super(setupDialogId);
  }

  override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const { respondentId } = identityOf(dc.context);
    const respondent = await this.deps.service.respondent(respondentId);
    const state: SetupState = { step: respondent?.collectiviteIds.length ? 'pick' : 'name' };
    dc.activeDialog!.state = state;
    return this.ask(dc, state);
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state as SetupState;
    const input = readInput(dc.context);
    const typed = input.kind === 'text' ? input.text : input.kind === 'choice' ? input.value : undefined;
    if (input.kind === 'command' && input.command === 'retour') return this.back(dc, state);
    switch (state.step) {
      case 'pick': {
        const options = await this.collectiviteOptions(dc);
        const picked =
          input.kind === 'choice' && input.field === 'collectivite'
            ? input.value
            : typed && matchChoice(typed, options);
        if (picked === 'new') return this.goto(dc, state, 'name');
        if (picked && options.some((o) => o.value === picked)) {
          state.collectiviteId = picked;
          return this.goto(dc, state, 'scope');
        }
        if (input.kind === 'text') {
          // A name typed straight away: take it as a new collectivité.
          state.step = 'name';
          return this.continueDialog(dc);
        }
        return this.retry(
          dc,
          state,
          'Choisissez une collectivité dans la liste, ou « Une autre collectivité ».',
        );
      }
      case 'name': {
        if (input.kind !== 'text') return this.retry(dc, state, 'Tapez le nom de votre collectivité.');
        const checked = checkCollectiviteName(input.text);
        if (!checked.ok) return this.retry(dc, state, checked.reason);
        state.name = checked.name;
        const said = typeFromName(checked.name);
        if (said) {
          state.type = said;
          await dc.context.sendActivity(
            `Noté : ${plain(checked.name)}, ${collectiviteTypeLabels[said].toLowerCase()} (d'après son nom ; « retour » pour le changer).`,
          );
          return this.goto(dc, state, 'traits');
        }
        return this.goto(dc, state, 'type');
      }
      case 'type': {
        const type =
          input.kind === 'choice' && input.field === 'type'
            ? choiceByValue(input.value, typeOptions)
            : typed && matchChoice(typed, typeOptions);
        if (!type)
          return this.retry(
            dc,
            state,
            'Je n’ai pas reconnu le type. Choisissez 1 à 5 (commune, intercommunalité, département, région, autre).',
          );
        state.type = type;
        return this.goto(dc, state, 'traits');
      }
      case 'traits': {
        const traits = input.kind === 'traits' ? input.traits : typed ? parseTraits(typed) : undefined;
        if (!traits)
          return this.retry(
            dc,
            state,
            'Tapez les numéros des situations qui vous concernent (par ex. « 1 3 »), ou « aucune ».',
          );
        state.traits = traits;
        return this.goto(dc, state, 'scope');
      }
      case 'scope': {
        const options = this.scopeOptions();
        const value =
          input.kind === 'choice' && input.field === 'scope'
            ? choiceByValue(input.value, options)
            : typed && matchChoice(typed, options);
        if (!value)
          return this.retry(dc, state, 'Choisissez 1 pour tout le diagnostic, ou 2 à 5 pour un seul enjeu.');
        return this.start(dc, state, value === 'full' ? { kind: 'full' } : { kind: 'enjeu', enjeuId: value });
      }
    }
  }

  private async start(dc: DialogContext, state: SetupState, scope: Scope): Promise<DialogTurnResult> {
    const { respondentId, tenantId } = identityOf(dc.context);
    let collectiviteId = state.collectiviteId;
    if (!collectiviteId) {
      const created = await this.deps.service.createCollectivite(respondentId, {
        name: state.name!,
        type: state.type!,
        traits: state.traits ?? [],
        ...(tenantId ? { tenantId } : {}),
      });
      collectiviteId = created.id;
    }
    const diagnostic = await this.deps.service.startDiagnostic(respondentId, scope, collectiviteId);
    return dc.replaceDialog(diagnosticDialogId, { diagnosticId: diagnostic.id });
  }

  /** The step before this one (a collectivité picked from the list goes back to the list). */
  private async back(dc: DialogContext, state: SetupState) {
    const previous: Partial<Record<Step, Step>> = {
      type: 'name',
      traits: 'type',
      scope: state.collectiviteId ? 'pick' : 'traits',
    };
    const step = previous[state.step];
    if (!step) return this.retry(dc, state, "C'est la première étape : il n'y a pas d'étape précédente.");
    if (step === 'pick') delete state.collectiviteId;
    return this.goto(dc, state, step);
  }

  private async goto(dc: DialogContext, state: SetupState, step: Step) {
    state.step = step;
    return this.ask(dc, state);
  }

  private async retry(dc: DialogContext, state: SetupState, message: string) {
    await dc.context.sendActivity(message);
    return this.ask(dc, state);
  }

  private async collectiviteOptions(dc: DialogContext): Promise<ChoiceOption<string>[]> {
    const respondent = await this.deps.service.respondent(identityOf(dc.context).respondentId);
    const ids = (respondent?.collectiviteIds ?? []).slice(-5);
    const found = await Promise.all(ids.map((id) => this.deps.service.collectivite(id)));
    return [
      ...found.flatMap((c) => (c ? [{ value: c.id, label: plain(c.name) }] : [])),
      {
        value: 'new',
        label: 'Une autre collectivité',
        synonyms: ['autre', 'nouvelle', 'nouvelle collectivite'],
      },
    ];
  }

  private scopeOptions(): ChoiceOption<string>[] {
    return [
      {
        value: 'full',
        label: 'Les 4 enjeux (68 indicateurs)',
        synonyms: [
          'tout',
          'tous',
          'complet',
          'les 4',
          'les quatre',
          'les 4 enjeux',
          'les quatre enjeux',
          'tous les enjeux',
          '68 indicateurs',
          'tout le diagnostic',
        ],
      },
      ...this.deps.referentials.maturity.enjeux.map((e) => ({
        value: e.id,
        label: `Enjeu ${e.number} — ${e.title}`,
        button: `Enjeu ${e.number}`,
        synonyms: [`enjeu ${e.number}`, `l'enjeu ${e.number}`, e.title],
      })),
    ];
  }

  private async ask(dc: DialogContext, state: SetupState): Promise<DialogTurnResult> {
    const step = 'Diagnostic complet — votre collectivité';
    let card;
    switch (state.step) {
      case 'pick':
        card = choiceCard({
          step,
          field: 'collectivite',
          question: 'Pour quelle collectivité faites-vous ce diagnostic ?',
          choices: (await this.collectiviteOptions(dc)).map((o) => ({ title: o.label, value: o.value })),
        });
        break;
      case 'name':
        await dc.context.sendActivity(
          'Pour quelle collectivité faites-vous ce diagnostic ? Tapez son nom (par exemple « Communauté de communes de Lacq-Orthez »). « annuler » pour arrêter.',
        );
        return Dialog.EndOfTurn;
      case 'type':
        card = choiceCard({
          step,
          field: 'type',
          question: `Quel type de collectivité est ${plain(state.name ?? 'votre collectivité')} ?`,
          choices: collectiviteTypes.map((value) => ({ title: collectiviteTypeLabels[value], value })),
        });
        break;
      case 'traits':
        card = traitsCard(step);
        break;
      case 'scope':
        card = choiceCard({
          step,
          field: 'scope',
          question: 'Voulez-vous répondre sur les 4 enjeux, ou sur un seul enjeu pour commencer ?',
          help: 'Le diagnostic complet compte 68 indicateurs : vous pouvez faire « pause » à tout moment et « reprendre » plus tard, vos réponses sont enregistrées au fur et à mesure.',
          choices: this.scopeOptions().map((o) => ({
            title: o.label,
            value: o.value,
            ...(o.button ? { button: o.button } : {}),
          })),
        });
        break;
    }
    await dc.context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
    return Dialog.EndOfTurn;
  }
}

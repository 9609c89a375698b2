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
import { decoupage, type Recognition } from '../src/domain/territory/decoupage.js';
import {
  collectiviteTypeOfKind,
  describeTerritory,
  shortTerritoryLabel,
  type Territory,
} from '../src/domain/territory/territory.js';
import { choiceCard } from '../cards/choiceCard.js';
import { plain } from '../cards/template.js';
import { traitsCard } from '../cards/traitsCard.js';
import type { DialogDeps } from './deps.js';
import { diagnosticDialogId } from './diagnosticDialog.js';
import { identityOf } from './identity.js';
import { readInput } from './input.js';

export const setupDialogId = 'setup';

type Step = 'pick' | 'name' | 'territoire' | 'type' | 'traits' | 'scope';

interface SetupState {
  step: Step;
  collectiviteId?: string;
  name?: string;
  /** The name as the person typed it, before a collectivité of the découpage was recognised in it. */
  typed?: string;
  type?: CollectiviteType;
  traits?: TerritoryTrait[];
  /** The collectivité recognised in the official découpage, stored with the new collectivité. */
  official?: Territory;
  /** Homonyms to choose from (step 'territoire'), or guesses offered beside the next question. */
  candidates?: Territory[];
  /** How many homonyms there are in all, when only the most populous are offered. */
  total?: number;
}

/** « non, ce n'est pas ça », « c'est pas la bonne », « mauvaise collectivité ». */
const correction =
  /^(non )?((ce|c) (n )?est pas (ca|cela|elle|celle la|celle ci|la bonne|le bon|ma collectivite)|pas (ca|celle la|la bonne)|mauvaise (commune|collectivite)|erreur)$/;

/** What a button for a collectivité of the découpage sends back. */
const territoryValue = (t: Pick<Territory, 'kind' | 'code'>) => `${t.kind}:${t.code}`;
const noneValue = 'none';

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
    // read the découpage while the person types the name (its errors are reported where it is used)
    void decoupage().catch(() => undefined);
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
        state.typed = checked.name;
        forgetTerritory(state);
        const recognition = await this.recognise(checked.name);
        if (recognition.kind === 'one') return this.recognised(dc, state, recognition.territory);
        if (recognition.kind === 'homonyms') {
          state.candidates = recognition.candidates;
          state.total = recognition.total;
          return this.goto(dc, state, 'territoire');
        }
        if (recognition.kind === 'guesses') {
          // offered beside the next question: a name of one's own goes on as before
          state.candidates = recognition.candidates;
          await this.sendGuesses(dc, checked.name, recognition.candidates);
        }
        return this.freeName(dc, state);
      }
      case 'territoire': {
        const candidates = state.candidates ?? [];
        const picked =
          input.kind === 'choice' && input.field === 'territoire'
            ? input.value
            : input.kind === 'text'
              ? pickTerritory(input.text, candidates)
              : undefined;
        if (picked === noneValue) {
          await dc.context.sendActivity(
            `D'accord : je garde le nom « ${plain(state.typed ?? '')} » tel que vous l'avez tapé.`,
          );
          forgetTerritory(state);
          return this.freeName(dc, state);
        }
        const chosen = candidates.find((t) => territoryValue(t) === picked);
        if (chosen) return this.recognised(dc, state, chosen);
        if (input.kind === 'text' && !/^\d{1,2}$/.test(normalize(input.text))) {
          // another name, or the same with its département (« Sainte-Marie 25 »)
          state.step = 'name';
          return this.continueDialog(dc);
        }
        return this.retry(
          dc,
          state,
          `Choisissez une collectivité dans la liste (1 à ${candidates.length}), ou « Aucune de celles-ci ».`,
        );
      }
      case 'type': {
        const guess = this.guessPicked(input, state);
        if (guess) return this.recognised(dc, state, guess);
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
        const guess = this.guessPicked(input, state);
        if (guess) return this.recognised(dc, state, guess);
        if (state.official && typed && correction.test(normalize(typed))) return this.corrected(dc, state);
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
      const official = state.official;
      if (official) await this.deps.service.updateCollectivite(collectiviteId, (c) => ({ ...c, official }));
    }
    const diagnostic = await this.deps.service.startDiagnostic(respondentId, scope, collectiviteId);
    return dc.replaceDialog(diagnosticDialogId, { diagnosticId: diagnostic.id });
  }

  /** The step before this one (a collectivité picked from the list goes back to the list). */
  private async back(dc: DialogContext, state: SetupState) {
    const previous: Partial<Record<Step, Step>> = {
      territoire: 'name',
      type: 'name',
      // a recognised collectivité's type came from the découpage: back to its name
      traits: state.official ? 'name' : 'type',
      scope: state.collectiviteId ? 'pick' : 'traits',
    };
    const step = previous[state.step];
    if (!step) return this.retry(dc, state, "C'est la première étape : il n'y a pas d'étape précédente.");
    if (step === 'pick') delete state.collectiviteId;
    if (step === 'name') forgetTerritory(state);
    return this.goto(dc, state, step);
  }

  /** The découpage's answer for a typed name; nothing when it cannot be read (the set-up goes on as before). */
  private async recognise(name: string, exclude?: Territory): Promise<Recognition> {
    try {
      return (await decoupage()).recognise(name, exclude);
    } catch (err) {
      this.deps.logger.error({ err }, 'territory: the découpage could not be read');
      return { kind: 'none' };
    }
  }

  /** « J'ai reconnu : Tulle (commune, Corrèze, 13 401 habitants — code INSEE 19272). », then the territory. */
  private async recognised(dc: DialogContext, state: SetupState, territory: Territory) {
    state.official = territory;
    state.name = territory.name;
    state.type = collectiviteTypeOfKind[territory.kind];
    delete state.candidates;
    delete state.total;
    await dc.context.sendActivity(
      // official names and figures, from the package's data: not typed, nothing to clean (plain() would break the
      // no-break spaces of « 13 401 »)
      `J'ai reconnu : ${describeTerritory(territory)}. Si ce n'est pas la bonne, tapez « ce n'est pas ça ».`,
    );
    return this.goto(dc, state, 'traits');
  }

  /** « ce n'est pas ça »: the other candidates for the same name, or the name kept as typed. */
  private async corrected(dc: DialogContext, state: SetupState) {
    const wrong = state.official!;
    const typed = state.typed ?? wrong.name;
    forgetTerritory(state);
    state.name = typed;
    const others = await this.recognise(typed, wrong);
    if (others.kind !== 'none' && others.kind !== 'one') {
      state.candidates = others.candidates;
      await dc.context.sendActivity(`D'accord, ce n'est pas ${wrong.name}.`);
      return this.goto(dc, state, 'territoire');
    }
    if (/^[\d\s]+$/.test(typed)) {
      await dc.context.sendActivity(`D'accord, ce n'est pas ${wrong.name}.`);
      return this.goto(dc, state, 'name');
    }
    await dc.context.sendActivity(
      `D'accord, ce n'est pas ${wrong.name} : je garde le nom « ${plain(typed)} » tel que vous l'avez tapé (« retour » pour le changer).`,
    );
    return this.freeName(dc, state);
  }

  /** A name not found in the découpage (or not the one): its type from its wording, or asked, as before. */
  private async freeName(dc: DialogContext, state: SetupState) {
    const name = state.name!;
    const said = typeFromName(name);
    if (said) {
      state.type = said;
      await dc.context.sendActivity(
        `Noté : ${plain(name)}, ${collectiviteTypeLabels[said].toLowerCase()} (d'après son nom ; « retour » pour le changer).`,
      );
      return this.goto(dc, state, 'traits');
    }
    return this.goto(dc, state, 'type');
  }

  /** One of the guesses offered beside the question, tapped, or typed by its exact name or code. */
  private guessPicked(input: ReturnType<typeof readInput>, state: SetupState) {
    if (state.official || !state.candidates?.length) return undefined;
    if (input.kind === 'choice' && input.field === 'territoire')
      return state.candidates.find((t) => territoryValue(t) === input.value);
    if (input.kind !== 'text') return undefined;
    const text = normalize(input.text);
    return state.candidates.find((t) =>
      [t.name, shortTerritoryLabel(t), t.code].some((said) => normalize(said) === text),
    );
  }

  private async sendGuesses(dc: DialogContext, typed: string, guesses: readonly Territory[]) {
    // described in the help rather than numbered: the numbers typed next belong to the question that follows
    const card = choiceCard({
      field: 'territoire',
      question: `Je n'ai pas trouvé « ${plain(typed)} » exactement parmi les collectivités. Vouliez-vous dire :`,
      help: guesses.map((t) => `- ${describeTerritory(t)}`).join('\n'),
      choices: guesses.map((t) => ({ title: shortTerritoryLabel(t), value: territoryValue(t) })),
      hint: 'Touchez la bonne ou tapez son nom ; sinon, répondez simplement à la question suivante.',
    });
    await dc.context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
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
      case 'territoire': {
        const candidates = state.candidates ?? [];
        const more =
          state.total && state.total > candidates.length
            ? `Voici les ${candidates.length} plus peuplées sur ${state.total}. `
            : '';
        card = choiceCard({
          step,
          field: 'territoire',
          question: state.total
            ? `Plusieurs collectivités s'appellent « ${plain(state.typed ?? '')} ». Laquelle est la vôtre ?`
            : 'Est-ce l’une de celles-ci ?',
          help: `${more}Pas dans la liste ? Tapez le nom suivi du numéro du département (par exemple « Sainte-Marie 25 ») ou le code postal.`,
          choices: [
            ...candidates.map((t) => ({
              title: describeTerritory(t),
              button: shortTerritoryLabel(t),
              value: territoryValue(t),
            })),
            { title: 'Aucune de celles-ci', value: noneValue },
          ],
        });
        break;
      }
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

function forgetTerritory(state: SetupState) {
  delete state.official;
  delete state.candidates;
  delete state.total;
}

/**
 * The collectivité of the list a person typed: its number, its code INSEE or SIREN, its département's number or
 * name, or its name; « aucune » for none of them.
 */
function pickTerritory(typed: string, candidates: readonly Territory[]): string | undefined {
  const code = normalize(typed).toUpperCase();
  const byCode = candidates.filter((t) => t.code === code || t.departement?.code === code);
  if (byCode.length === 1) return territoryValue(byCode[0]!);
  const unique = (words: (string | undefined)[]) =>
    words.filter(
      (w): w is string =>
        w !== undefined &&
        candidates.filter((t) => [t.departement?.name, t.name, shortTerritoryLabel(t)].includes(w)).length ===
          1,
    );
  const options: ChoiceOption<string>[] = [
    ...candidates.map((t) => ({
      value: territoryValue(t),
      label: describeTerritory(t),
      button: shortTerritoryLabel(t),
      synonyms: unique([t.name, t.departement?.name]),
    })),
    {
      value: noneValue,
      label: 'Aucune de celles-ci',
      synonyms: ['aucune', 'aucun', 'aucune des deux', 'non', 'autre', 'une autre', 'pas dans la liste'],
    },
  ];
  return matchChoice(typed, options);
}

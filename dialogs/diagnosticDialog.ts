import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import {
  nextIndicator,
  positionOf,
  previousIndicator,
  progressOf,
} from '../src/domain/assessment/assessment.js';
import { parseAnswer, saysDontKnow } from '../src/domain/language/answers.js';
import { asksRemaining, parseEdit, type EditRequest } from '../src/domain/language/edits.js';
import { normalize } from '../src/domain/language/normalize.js';
import { parseQuantity } from '../src/domain/language/numbers.js';
import { readNumberWords, warmUpNumberWords } from '../src/language/numberWords.js';
import { respondentView, type Diagnostic } from '../src/domain/records/diagnostic.js';
import { answerLabels, type AnswerValue } from '../src/domain/scoring/answers.js';
import { indicatorsInScope, scopeLabel } from '../src/domain/scoring/scope.js';
import { numberList } from '../src/domain/scoring/format.js';
import { questionCard } from '../cards/questionCard.js';
import { summaryCard } from '../cards/summaryCard.js';
import { plain } from '../cards/template.js';
import { quantityCard } from '../cards/quantityCard.js';
import type { DialogDeps } from './deps.js';
import { identityOf, isGroupConversation } from './identity.js';
import { readInput } from './input.js';
import { messages } from './messages.js';
import { sendResults } from './results.js';

export const diagnosticDialogId = 'diagnostic';

export interface DiagnosticOptions {
  diagnosticId: string;
  resume?: boolean;
}

interface DiagnosticState {
  diagnosticId: string;
  /**
   * The indicator being asked. Stored only while it cannot be derived (revisiting one, or asking its quantities);
   * otherwise it is the person's first unanswered indicator, read from the diagnostic each turn, so an ordinary
   * answer changes the diagnostic record only (one write, not two).
   */
  current?: number;
  /** Asking the optional quantities of `current`, the index-th one. */
  quantityIndex?: number;
  /** `current` was reached with "retour": it already has an answer, which the person may change. */
  revisiting?: boolean;
  /** Every question of a full diagnostic seen: the summary is shown, the results come with « Voir les résultats ». */
  reviewing?: boolean;
  /** The person asked for the results from the summary. */
  reviewed?: boolean;
}

/**
 * The data-driven question loop: the domain says which indicator comes next, the referential what to ask.
 * Every answer is written to storage before the next question is sent.
 */
export class DiagnosticDialog extends Dialog<DiagnosticOptions> {
  /** `inPassing` answers a question typed instead of an answer (see `RouterExtension.inPassing`). */
  constructor(
    private readonly deps: DialogDeps,
    private readonly inPassing?: (context: TurnContext, text: string) => Promise<boolean>,
  ) {
    super(diagnosticDialogId);
  }

  override async beginDialog(dc: DialogContext, options?: DiagnosticOptions): Promise<DialogTurnResult> {
    const diagnostic = options && (await this.deps.service.diagnostic(options.diagnosticId));
    if (!diagnostic) {
      await dc.context.sendActivity(messages.nothingToResume);
      return dc.endDialog();
    }
    const me = identityOf(dc.context).respondentId;
    if (!(await this.deps.service.mayAnswer(diagnostic, me))) {
      await dc.context.sendActivity(messages.notYourDiagnostic);
      return dc.endDialog();
    }
    const state: DiagnosticState = { diagnosticId: diagnostic.id };
    dc.activeDialog!.state = state;
    const next = nextIndicator(this.deps.referentials.maturity, respondentView(diagnostic, me));
    if (options?.resume && next) {
      const { index, total } = positionOf(
        this.deps.referentials.maturity,
        diagnostic,
        next.indicateur.number,
      );
      await dc.context.sendActivity(messages.resumed(index, total));
    }
    return this.askNext(dc, state, diagnostic);
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state as DiagnosticState;
    const diagnostic = await this.deps.service.diagnostic(state.diagnosticId);
    if (!diagnostic) {
      await dc.context.sendActivity(messages.nothingToResume);
      return dc.endDialog();
    }
    const me = identityOf(dc.context).respondentId;
    if (!(await this.deps.service.mayAnswer(diagnostic, me))) {
      await dc.context.sendActivity(messages.notYourDiagnostic);
      return dc.endDialog();
    }
    const input = readInput(dc.context);
    this.derive(state, diagnostic, me);
    if (input.kind === 'command' && input.command === 'retour') return this.goBack(dc, state, diagnostic);
    if (input.kind === 'text') {
      const edit = parseEdit(input.text);
      if (edit) return this.edit(dc, state, diagnostic, edit);
      if (asksRemaining(input.text)) {
        await dc.context.sendActivity(remainingSummary(this.deps, diagnostic, me));
        return state.current === undefined
          ? this.askNext(dc, state, diagnostic)
          : this.ask(dc, state, diagnostic);
      }
      if (state.reviewing && state.current === undefined && finishWords.test(normalize(input.text))) {
        state.reviewed = true;
        return this.askNext(dc, state, diagnostic);
      }
    }
    const current = state.current;
    if (current === undefined) return this.askNext(dc, state, diagnostic);

    if (state.quantityIndex !== undefined) return this.continueQuantities(dc, state, diagnostic, current);

    if (input.kind === 'command' && input.command === 'passer') {
      if (input.fromCard && input.indicator !== undefined && input.indicator !== current)
        return this.stale(dc, state, diagnostic);
      const updated = await this.deps.service.skip(diagnostic.id, me, current);
      return this.askNext(dc, state, updated, noted(dc, 'question passée, sans réponse'));
    }
    let value: AnswerValue | undefined;
    if (input.kind === 'answer') {
      if (input.indicator !== current) return this.stale(dc, state, diagnostic);
      value = input.value;
    } else if (input.kind === 'text') {
      value = parseAnswer(input.text);
    } else if (input.kind === 'quantity') {
      return this.stale(dc, state, diagnostic);
    }
    if (!value) {
      const answered = input.kind === 'text' && (await this.inPassing?.(dc.context, input.text));
      if (!answered) await dc.context.sendActivity(messages.notAnAnswer);
      return this.ask(dc, state, diagnostic);
    }
    const updated = await this.deps.service.answer(diagnostic.id, me, current, value);
    const confirmation = noted(dc, answerLabels[value]);
    const ref = this.deps.referentials.maturity.indicator(current)!;
    if (
      (value === 'oui' || value === 'en_partie') &&
      diagnostic.scope.kind !== 'quick' &&
      ref.indicateur.quantities.length > 0
    ) {
      state.quantityIndex = 0;
      return this.ask(dc, state, updated, confirmation);
    }
    return this.askNext(dc, state, updated, confirmation);
  }

  override async repromptDialog(
    context: DialogContext['context'],
    instance: { state: DiagnosticState },
  ): Promise<void> {
    const diagnostic = await this.deps.service.diagnostic(instance.state.diagnosticId);
    if (!diagnostic) return;
    const state = { ...instance.state };
    const me = identityOf(context).respondentId;
    this.derive(state, diagnostic, me);
    if (state.current !== undefined) await context.sendActivity(this.activityFor(state, diagnostic, me));
    else if (state.reviewing) await context.sendActivity(summaryActivity(this.deps, diagnostic, me));
  }

  private async continueQuantities(
    dc: DialogContext,
    state: DiagnosticState,
    diagnostic: Diagnostic,
    current: number,
  ) {
    const input = readInput(dc.context);
    const ref = this.deps.referentials.maturity.indicator(current)!;
    const quantity = ref.indicateur.quantities[state.quantityIndex!]!;
    if (
      input.kind === 'command' &&
      input.command === 'passer' &&
      input.quantityId !== undefined &&
      input.quantityId !== quantity.id
    )
      return this.stale(dc, state, diagnostic);
    const skipped =
      (input.kind === 'command' && input.command === 'passer') ||
      (input.kind === 'text' && saysDontKnow(input.text));
    let confirmation = noted(dc, `« ${quantity.label} » sans réponse`);
    if (!skipped) {
      let typed: string | undefined;
      if (input.kind === 'quantity') {
        if (input.indicator !== current || input.quantityId !== quantity.id)
          return this.stale(dc, state, diagnostic);
        typed = input.amount;
      } else if (input.kind === 'text') typed = input.text;
      else if (input.kind === 'answer') return this.stale(dc, state, diagnostic);
      const parsed =
        typed === undefined
          ? ({ ok: false, reason: 'not_a_number' } as const)
          : await parseQuantity(typed, quantity.unit, readNumberWords);
      if (!parsed.ok) {
        await dc.context.sendActivity(messages.quantityInvalid[parsed.reason]);
        return this.ask(dc, state, diagnostic);
      }
      const me = identityOf(dc.context).respondentId;
      diagnostic = await this.deps.service.quantity(diagnostic.id, me, current, quantity.id, parsed.value);
      confirmation = noted(dc, formatQuantity(parsed.value, quantity.unit));
    }
    state.quantityIndex! += 1;
    if (state.quantityIndex! < ref.indicateur.quantities.length)
      return this.ask(dc, state, diagnostic, confirmation);
    delete state.quantityIndex;
    return this.askNext(dc, state, diagnostic, confirmation);
  }

  /** The question being asked, when it is simply the person's first unanswered one. */
  private derive(state: DiagnosticState, diagnostic: Diagnostic, respondentId: string): void {
    if (state.revisiting || state.quantityIndex !== undefined) return;
    state.current = nextIndicator(this.deps.referentials.maturity, respondentView(diagnostic, respondentId))
      ?.indicateur.number;
  }

  /** « modifier la question 12 » goes there; « je me suis trompé à la 3, c'est non » records it and stays here. */
  private async edit(dc: DialogContext, state: DiagnosticState, diagnostic: Diagnostic, edit: EditRequest) {
    const list = indicatorsInScope(this.deps.referentials.maturity, diagnostic.scope);
    const quick = diagnostic.scope.kind === 'quick';
    const ref = quick ? list[edit.number - 1] : list.find((r) => r.indicateur.number === edit.number);
    if (!ref) {
      const range = quick
        ? `1 à ${list.length}`
        : `${list[0]!.indicateur.number} à ${list.at(-1)!.indicateur.number}`;
      await dc.context.sendActivity(
        `Il n'y a pas de question ${edit.number} dans ce diagnostic (questions ${range}).`,
      );
      return state.current === undefined
        ? this.askNext(dc, state, diagnostic)
        : this.ask(dc, state, diagnostic);
    }
    const me = identityOf(dc.context).respondentId;
    if (edit.value) {
      const updated = await this.deps.service.answer(diagnostic.id, me, ref.indicateur.number, edit.value);
      const confirmation = noted(dc, `${answerLabels[edit.value]} à la question ${edit.number}`);
      if (state.current === undefined || (state.current === ref.indicateur.number && !state.revisiting))
        return this.askNext(dc, state, updated, confirmation);
      return this.ask(dc, state, updated, `${confirmation} Voici la question en cours.`);
    }
    state.current = ref.indicateur.number;
    state.revisiting = true;
    delete state.quantityIndex;
    return this.ask(dc, state, diagnostic);
  }

  private async goBack(dc: DialogContext, state: DiagnosticState, diagnostic: Diagnostic) {
    const previous = previousIndicator(this.deps.referentials.maturity, diagnostic, state.current);
    if (!previous) {
      await dc.context.sendActivity(messages.nothingToGoBack);
      return this.ask(dc, state, diagnostic);
    }
    state.current = previous.indicateur.number;
    state.revisiting = true;
    delete state.quantityIndex;
    return this.ask(dc, state, diagnostic);
  }

  private async stale(dc: DialogContext, state: DiagnosticState, diagnostic: Diagnostic) {
    await dc.context.sendActivity(messages.staleCard);
    return this.ask(dc, state, diagnostic);
  }

  /** The next unanswered question, or the results; `confirmation` says first what was just recorded. */
  private async askNext(
    dc: DialogContext,
    state: DiagnosticState,
    diagnostic: Diagnostic,
    confirmation?: string,
  ): Promise<DialogTurnResult> {
    delete state.quantityIndex;
    delete state.revisiting;
    const me = identityOf(dc.context).respondentId;
    const next = nextIndicator(this.deps.referentials.maturity, respondentView(diagnostic, me));
    if (!next) {
      if (confirmation) await dc.context.sendActivity(confirmation);
      if (diagnostic.scope.kind !== 'quick' && !state.reviewed && !diagnostic.finishedAt) {
        state.reviewing = true;
        await dc.context.sendActivity(summaryActivity(this.deps, diagnostic, me));
        return Dialog.EndOfTurn;
      }
      const finished = await this.deps.service.finish(diagnostic.id);
      await sendResults(dc.context, this.deps, finished, { detailed: false });
      return dc.endDialog();
    }
    state.current = next.indicateur.number;
    return this.ask(dc, state, diagnostic, confirmation);
  }

  private async ask(
    dc: DialogContext,
    state: DiagnosticState,
    diagnostic: Diagnostic,
    confirmation?: string,
  ): Promise<DialogTurnResult> {
    const question = this.activityFor(state, diagnostic, identityOf(dc.context).respondentId);
    if (confirmation) question.text = confirmation;
    await dc.context.sendActivity(question);
    if (!state.revisiting && state.quantityIndex === undefined) delete state.current;
    return Dialog.EndOfTurn;
  }

  private activityFor(state: DiagnosticState, diagnostic: Diagnostic, respondentId: string) {
    const maturity = this.deps.referentials.maturity;
    const own = diagnostic.byRespondent[respondentId];
    const ref = maturity.indicator(state.current!)!;
    if (state.quantityIndex !== undefined) {
      // French number words ("douze") need Microsoft's recognizers: start their worker only when someone may type one.
      warmUpNumberWords();
      const quantity = ref.indicateur.quantities[state.quantityIndex]!;
      const card = quantityCard({
        ref,
        quantity,
        index: state.quantityIndex + 1,
        count: ref.indicateur.quantities.length,
        ...(diagnostic.answers[ref.indicateur.number]?.quantities?.[quantity.id] !== undefined
          ? { current: diagnostic.answers[ref.indicateur.number]!.quantities![quantity.id]! }
          : {}),
      });
      return MessageFactory.attachment(CardFactory.adaptiveCard(card));
    }
    const list = indicatorsInScope(maturity, diagnostic.scope);
    const index = list.findIndex((r) => r.indicateur.number === ref.indicateur.number);
    const previous = list[index - 1];
    const card = questionCard({
      ref,
      scope: diagnostic.scope,
      index: index + 1,
      total: list.length,
      opensPrerequis: previous?.prerequis.id !== ref.prerequis.id,
      opensEnjeu: previous?.enjeu.id !== ref.enjeu.id,
      ...(own?.[ref.indicateur.number] ? { current: own[ref.indicateur.number]! } : {}),
    });
    return MessageFactory.attachment(CardFactory.adaptiveCard(card));
  }
}

/** « terminer », « voir les résultats », « c'est bon »: from the summary, on to the results. */
const finishWords =
  /^(oui|ok|d accord|c est bon|valider|valide|terminer|termine|fini|finir|voir les resultats|resultats|les resultats|continuer)$/;

/**
 * The person's own answers in the diagnostic's scope: how many of each, and which questions are unanswered or
 * « je ne sais pas », as the numbers the cards show (position in a quick check, indicator number otherwise).
 */
function ownAnswers(deps: DialogDeps, diagnostic: Diagnostic, respondentId: string) {
  const own = diagnostic.byRespondent[respondentId] ?? {};
  const list = indicatorsInScope(deps.referentials.maturity, diagnostic.scope);
  const counts: Record<AnswerValue, number> = { oui: 0, en_partie: 0, non: 0, nsp: 0 };
  const unanswered: number[] = [];
  const toCheck: number[] = [];
  list.forEach((ref, i) => {
    const shown = diagnostic.scope.kind === 'quick' ? i + 1 : ref.indicateur.number;
    const value = own[ref.indicateur.number];
    if (value) counts[value]++;
    else unanswered.push(shown);
    if (value === 'nsp') toCheck.push(shown);
  });
  return { counts, unanswered, toCheck };
}

/** The summary before the results of a full diagnostic (or of one enjeu), with the person's own answers. */
function summaryActivity(deps: DialogDeps, diagnostic: Diagnostic, respondentId: string) {
  const card = summaryCard({
    scopeLabel: scopeLabel(deps.referentials.maturity, diagnostic.scope),
    ...ownAnswers(deps, diagnostic, respondentId),
  });
  return MessageFactory.attachment(CardFactory.adaptiveCard(card));
}

/** What is left to answer, and what was answered « je ne sais pas », as the numbers the cards show. */
export function remainingSummary(deps: DialogDeps, diagnostic: Diagnostic, respondentId: string): string {
  const { unanswered, toCheck } = ownAnswers(deps, diagnostic, respondentId);
  const lines = [
    unanswered.length ? `Sans réponse : ${numberList(unanswered)}.` : 'Toutes les questions ont une réponse.',
  ];
  if (toCheck.length) lines.push(`À vérifier (« je ne sais pas ») : ${numberList(toCheck)}.`);
  const example = unanswered[0] ?? toCheck[0];
  if (example !== undefined) lines.push(`Tapez « modifier la question ${example} » pour y aller.`);
  return lines.join('\n\n');
}

/** « Noté : En partie. » — « Noté pour Alice : … » where several people talk to the bot in one conversation. */
function noted(dc: DialogContext, what: string): string {
  const { from } = dc.context.activity;
  const name = isGroupConversation(dc.context.activity) && from?.name ? plain(from.name) : '';
  return `Noté${name ? ` pour ${name}` : ''} : ${what}.`;
}

const unitSuffix: Record<string, string> = { EUR: ' €', percent: ' %', ETP: ' ETP' };

function formatQuantity(value: number, unit: string): string {
  return `${value.toLocaleString('fr-FR')}${unitSuffix[unit] ?? ''}`;
}

export function pauseSummary(deps: DialogDeps, diagnostic: Diagnostic, respondentId: string): string {
  const progress = progressOf(deps.referentials.maturity, respondentView(diagnostic, respondentId));
  const unknown = Object.values(diagnostic.byRespondent[respondentId] ?? {}).filter(
    (v) => v === 'nsp',
  ).length;
  return messages.paused(progress.answered, progress.total, unknown);
}

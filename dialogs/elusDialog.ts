import { Dialog, type DialogContext, type DialogInstance, type DialogTurnResult } from 'botbuilder-dialogs';
import { ActivityTypes, CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import { answersOf } from '../src/domain/assessment/assessment.js';
import {
  readStartValue,
  relatedTopics,
  startValue,
  type ElusAssistant,
  type Mentions,
} from '../src/domain/elus/assistant.js';
import {
  argumentaireOptions,
  skipValue,
  stepOptions,
  type ArgumentaireAction,
} from '../src/domain/elus/choices.js';
import {
  profileFromCollectivite,
  profileSteps,
  type ElusProfile,
  type ProfileStep,
} from '../src/domain/elus/profile.js';
import { matchChoice } from '../src/domain/language/choices.js';
import { computeMaturity } from '../src/domain/scoring/scoring.js';
import { argumentaireAnswerCard } from '../cards/argumentaireAnswerCard.js';
import { argumentaireCard } from '../cards/argumentaireCard.js';
import { argumentaireSuggestionsCard } from '../cards/argumentaireSuggestionsCard.js';
import { choiceCard } from '../cards/choiceCard.js';
import { plain } from '../cards/template.js';
import type { DialogDeps } from './deps.js';
import { identityOf } from './identity.js';
import { readInput } from './input.js';
import { messages } from './messages.js';

export const elusDialogId = 'elus';

/** How the dialog starts: the guided path, a direct answer to a free question, or the closest topics. */
export type ElusDialogOptions =
  | { mode: 'guided'; prefill?: ElusProfile }
  | { mode: 'answer'; topicId: string; related: string[]; mentions?: Mentions }
  | { mode: 'suggest'; topics: string[] };

type Step = ProfileStep | 'argumentaire' | 'answer';

interface ElusState {
  step: Step;
  profile: ElusProfile;
  /** Steps already known (from the diagnostic's collectivité or the question): not asked. */
  known: ProfileStep[];
  /** Steps asked so far, for « retour ». */
  asked: ProfileStep[];
  variant: number;
  /** In the answer step: the topic answered (or undefined for suggestions) and the topics behind numbers 2, 3… */
  topicId?: string;
  /** The échelon and territory the question spoke of, kept for « Construire mon argumentaire ». */
  mentions?: Mentions;
  choices?: string[];
}

/** Card field of each step's buttons (`{ action: 'choice', field, value }`). */
export const stepFields: Record<ProfileStep, string> = {
  situation: 'elus_situation',
  frein: 'elus_frein',
  territoire: 'elus_territoire',
  echelon: 'elus_echelon',
};
const fieldSteps = new Map(Object.entries(stepFields).map(([step, field]) => [field, step as ProfileStep]));
const actionFields: Record<string, ArgumentaireAction> = {
  elus_next: 'next',
  elus_copy: 'copy',
  elus_restart: 'restart',
};

const questions: Record<ProfileStep, { question: string; help?: string }> = {
  situation: { question: 'Où en êtes-vous avec vos élus ?' },
  frein: { question: 'Quel est le principal frein chez vos élus ?' },
  territoire: {
    question: 'Quel angle correspond le mieux à votre territoire ?',
    help: 'Il oriente le discours : attractivité, lien social, transition écologique ou données.',
  },
  echelon: { question: 'À quel échelon sont les élus que vous voulez convaincre ?' },
};

export const elusMessages = {
  fromDiagnostic: (parts: string[]) =>
    `Je reprends ce que dit votre diagnostic : ${parts.join(', ')}. Vous pourrez le modifier sur l'argumentaire.`,
  notAChoice:
    'Je n’ai pas reconnu votre choix. Touchez un bouton, tapez son numéro, ou « passer » pour sauter cette étape.',
  firstStep: 'C’est la première étape : il n’y a pas d’étape précédente.',
  copyIntro: 'Voici une version courte, à copier dans un e-mail à votre élu :',
  staleCard: 'Ce bouton appartient à une ancienne carte : rien n’a changé.',
  noted: (label: string) => `C’est noté : « ${label} ». Et pour cette étape ?`,
  understood: (label: string) => `C’est noté : « ${label} ». (« retour » pour corriger.)`,
  guess: (label: string) =>
    `Je ne suis pas sûr d’avoir compris : voulez-vous dire « ${label} » ? Touchez le bouton correspondant ci-dessous, ou tapez son numéro.`,
  guideSilent:
    "Je ne trouve rien sur cette question dans les documents sur lesquels je m'appuie (le guide des conseillers numériques « Mobiliser les élus », le rapport du programme Société Numérique, France Numérique Ensemble). Je peux vous aider sur les freins des élus, le financement, les dispositifs nationaux, la feuille de route ou l'échelon de vos élus : reformulez votre question, ou tapez « convaincre mon élu ».",
  notAnAction:
    'Je n’ai pas compris. Tapez « un autre argument », « version à copier », « modifier » ou « menu ».',
};

/**
 * « Convaincre mon élu » : situation → frein → territoire → échelon (each skippable, some known from the
 * diagnostic) → the argumentaire, then « un autre argument » and « version à copier ». Also shows direct answers
 * to free questions and, when unsure, the closest topics. Buttons and typing work the same.
 */
export class ElusDialog extends Dialog<ElusDialogOptions> {
  constructor(
    private readonly deps: DialogDeps,
    private readonly assistant: ElusAssistant,
  ) {
    super(elusDialogId);
  }

  override async beginDialog(dc: DialogContext, options?: ElusDialogOptions): Promise<DialogTurnResult> {
    const state: ElusState = { step: 'situation', profile: {}, known: [], asked: [], variant: 0 };
    dc.activeDialog!.state = state;
    if (options?.mode === 'answer')
      return this.showAnswer(dc, state, options.topicId, options.related, options.mentions);
    if (options?.mode === 'suggest') return this.showSuggestions(dc, state, options.topics);
    return this.startGuided(dc, state, options?.prefill ?? {});
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state as ElusState;
    const input = readInput(dc.context);

    if (input.kind === 'choice') {
      if (input.field === 'elus_topic') {
        if (state.step === 'answer') return this.showAnswer(dc, state, input.value, []);
        if (!(await this.sendAnswer(dc, input.value, [])))
          await dc.context.sendActivity(elusMessages.staleCard);
        return this.repromptStep(dc, state);
      }
      if (input.field === 'elus_start') return this.startFromTopic(dc, state, input.value);
      const step = fieldSteps.get(input.field);
      if (step) return this.onStepChoice(dc, state, step, input.value);
      const action = actionFields[input.field];
      if (action && state.step === 'argumentaire') return this.onAction(dc, state, action);
      await dc.context.sendActivity(elusMessages.staleCard);
      return this.reprompt(dc, state);
    }
    if (input.kind !== 'text' && input.kind !== 'command') {
      await dc.context.sendActivity(elusMessages.staleCard);
      return this.reprompt(dc, state);
    }

    switch (state.step) {
      case 'argumentaire':
        return this.continueArgumentaire(dc, state);
      case 'answer':
        return this.continueAnswer(dc, state);
      default:
        return this.continueStep(dc, state, state.step);
    }
  }

  override async repromptDialog(context: TurnContext, instance: DialogInstance<ElusState>): Promise<void> {
    const state = instance.state;
    if (profileSteps.includes(state.step as ProfileStep))
      await context.sendActivity(this.stepActivity(state, state.step as ProfileStep));
    else if (state.step === 'argumentaire') await this.sendArgumentaire(context, state);
  }

  // — the guided path —

  private async startGuided(
    dc: DialogContext,
    state: ElusState,
    prefill: ElusProfile,
  ): Promise<DialogTurnResult> {
    const fromDiagnostic = await this.diagnosticProfile(dc);
    const profile: ElusProfile = { ...fromDiagnostic.profile, ...prefill };
    state.profile = profile;
    state.known = profileSteps.filter((s) => profile[s] !== undefined);
    state.asked = [];
    state.variant = 0;
    delete state.topicId;
    delete state.choices;
    if (fromDiagnostic.parts.length > 0)
      await dc.context.sendActivity(elusMessages.fromDiagnostic(fromDiagnostic.parts));
    return this.nextStep(dc, state);
  }

  private async startFromTopic(
    dc: DialogContext,
    state: ElusState,
    start: string,
  ): Promise<DialogTurnResult> {
    const { topicId, mentions } = readStartValue(start);
    const answer = topicId ? this.assistant.answer(topicId, mentions) : undefined;
    return this.startGuided(dc, state, answer?.prefill ?? {});
  }

  /** The diagnostic's collectivité (échelon, territory) and weak spots, when the person has a diagnostic. */
  private async diagnosticProfile(dc: DialogContext): Promise<{ profile: ElusProfile; parts: string[] }> {
    const { service, referentials } = this.deps;
    const diagnostic = await service.activeDiagnostic(identityOf(dc.context).respondentId);
    if (!diagnostic || Object.keys(diagnostic.answers).length === 0) return { profile: {}, parts: [] };
    const result = computeMaturity(referentials.maturity, diagnostic.scope, answersOf(diagnostic));
    const weakPoints = this.assistant.weakPoints(result);
    const collectivite = diagnostic.collectiviteId
      ? await service.collectivite(diagnostic.collectiviteId)
      : undefined;
    const known = collectivite ? profileFromCollectivite(collectivite) : {};
    const ref = this.assistant.referential;
    const parts = [
      ...(collectivite ? [plain(collectivite.name)] : []),
      ...(known.echelon ? [`échelon « ${ref.echelon(known.echelon)?.label} »`] : []),
      ...(known.territoire ? [`territoire « ${ref.territoire(known.territoire)?.label} »`] : []),
      ...(weakPoints[0] ? [`point le plus faible : ${weakPoints[0].label}`] : []),
    ];
    return { profile: { ...known, ...(weakPoints.length > 0 ? { weakPoints } : {}) }, parts };
  }

  private async nextStep(dc: DialogContext, state: ElusState): Promise<DialogTurnResult> {
    const step = profileSteps.find((s) => !state.known.includes(s) && !state.asked.includes(s));
    if (!step) {
      state.step = 'argumentaire';
      await this.sendArgumentaire(dc.context, state);
      return Dialog.EndOfTurn;
    }
    state.step = step;
    state.asked.push(step);
    await dc.context.sendActivity(this.stepActivity(state, step));
    return Dialog.EndOfTurn;
  }

  private async continueStep(
    dc: DialogContext,
    state: ElusState,
    step: ProfileStep,
  ): Promise<DialogTurnResult> {
    const input = readInput(dc.context);
    if (input.kind === 'command' && input.command === 'retour') return this.goBack(dc, state);
    if (input.kind === 'command' && input.command === 'passer')
      return this.setStep(dc, state, step, undefined);
    const typed = input.kind === 'text' ? input.text : '';
    const read = this.assistant.readStep(step, typed);
    if (read === undefined) {
      await dc.context.sendActivity(elusMessages.notAChoice);
      return this.reprompt(dc, state);
    }
    if ('value' in read) {
      if (read.inferred)
        await dc.context.sendActivity(elusMessages.understood(this.labelOf(step, read.value)));
      return this.setStep(dc, state, step, read.value === skipValue ? undefined : read.value);
    }
    if ('other' in read) {
      this.assign(state, read.other.step, read.other.value);
      if (!state.known.includes(read.other.step)) state.known.push(read.other.step);
      await dc.context.sendActivity(elusMessages.noted(this.labelOf(read.other.step, read.other.value)));
    }
    if ('question' in read && read.question)
      await this.sendAnswer(dc, read.question, read.related ?? [], this.assistant.mentionsOf(typed));
    if ('unsure' in read) {
      const { guess, topics } = read.unsure;
      if (topics.length > 0) await this.sendSuggestions(dc, topics);
      await dc.context.sendActivity(
        guess ? elusMessages.guess(this.labelOf(step, guess)) : elusMessages.notAChoice,
      );
    }
    return this.reprompt(dc, state);
  }

  private async onStepChoice(
    dc: DialogContext,
    state: ElusState,
    step: ProfileStep,
    value: string,
  ): Promise<DialogTurnResult> {
    const valid = stepOptions(this.assistant.referential, step).some((o) => o.value === value);
    if (!valid) {
      await dc.context.sendActivity(elusMessages.staleCard);
      return this.reprompt(dc, state);
    }
    if (state.step !== step) {
      // A button of an earlier step card: take the new answer and carry on where we are.
      this.assign(state, step, value === skipValue ? undefined : value);
      if (state.step === 'argumentaire') state.variant = 0;
      return this.reprompt(dc, state);
    }
    return this.setStep(dc, state, step, value === skipValue ? undefined : value);
  }

  private async setStep(dc: DialogContext, state: ElusState, step: ProfileStep, value: string | undefined) {
    this.assign(state, step, value);
    return this.nextStep(dc, state);
  }

  private labelOf(step: ProfileStep, value: string): string {
    return stepOptions(this.assistant.referential, step).find((o) => o.value === value)?.label ?? value;
  }

  private assign(state: ElusState, step: ProfileStep, value: string | undefined): void {
    if (value === undefined) delete state.profile[step];
    else state.profile[step] = value;
  }

  private async goBack(dc: DialogContext, state: ElusState): Promise<DialogTurnResult> {
    const index = profileSteps.includes(state.step as ProfileStep)
      ? state.asked.lastIndexOf(state.step as ProfileStep)
      : state.asked.length;
    const previous = state.asked[index - 1];
    if (!previous) {
      await dc.context.sendActivity(elusMessages.firstStep);
      return this.reprompt(dc, state);
    }
    state.asked = state.asked.slice(0, index - 1);
    state.asked.push(previous);
    state.step = previous;
    await dc.context.sendActivity(this.stepActivity(state, previous));
    return Dialog.EndOfTurn;
  }

  private stepActivity(state: ElusState, step: ProfileStep) {
    const toAsk = profileSteps.filter((s) => !state.known.includes(s));
    const position = toAsk.indexOf(step) + 1;
    const options = stepOptions(this.assistant.referential, step);
    const card = choiceCard({
      step: `Convaincre mon élu — étape ${position} sur ${toAsk.length}`,
      field: stepFields[step],
      question: questions[step].question,
      ...(questions[step].help ? { help: questions[step].help } : {}),
      choices: options.map((o) => ({
        title: o.label,
        value: o.value,
        ...(o.button ? { button: o.button } : {}),
      })),
      hint: 'Touchez un bouton, ou tapez votre choix ou son numéro. « passer » pour sauter, « retour » pour revenir, « annuler » pour arrêter.',
    });
    return MessageFactory.attachment(CardFactory.adaptiveCard(card));
  }

  // — the argumentaire —

  private async continueArgumentaire(dc: DialogContext, state: ElusState): Promise<DialogTurnResult> {
    const input = readInput(dc.context);
    if (input.kind === 'command' && input.command === 'passer') return this.onAction(dc, state, 'next');
    if (input.kind === 'command' && input.command === 'retour') return this.goBack(dc, state);
    const text = input.kind === 'text' ? input.text : '';
    const action = matchChoice(text, argumentaireOptions);
    if (action) return this.onAction(dc, state, action);
    return this.freeQuestion(dc, state, text, elusMessages.notAnAction);
  }

  private async onAction(
    dc: DialogContext,
    state: ElusState,
    action: ArgumentaireAction,
  ): Promise<DialogTurnResult> {
    switch (action) {
      case 'next':
        state.variant += 1;
        await this.sendArgumentaire(dc.context, state);
        return Dialog.EndOfTurn;
      case 'copy': {
        await dc.context.sendActivity(elusMessages.copyIntro);
        await dc.context.sendActivity({
          type: ActivityTypes.Message,
          text: this.assistant.copyText(state.profile, state.variant),
          textFormat: 'plain',
        });
        return Dialog.EndOfTurn;
      }
      case 'restart':
        state.known = [];
        state.asked = [];
        state.variant = 0;
        return this.nextStep(dc, state);
    }
  }

  private async sendArgumentaire(context: TurnContext, state: ElusState): Promise<void> {
    const argumentaire = this.assistant.argumentaire(state.profile, state.variant);
    await context.sendActivity(
      MessageFactory.attachment(CardFactory.adaptiveCard(argumentaireCard(argumentaire))),
    );
  }

  // — free questions —

  /** Shows the answer to a topic; under it the answer's « voir aussi » topics, and its own state step 'answer'. */
  private async showAnswer(
    dc: DialogContext,
    state: ElusState,
    topicId: string,
    related: string[],
    mentions: Mentions = {},
  ): Promise<DialogTurnResult> {
    const shown = await this.sendAnswer(dc, topicId, related, mentions);
    if (!shown) {
      await dc.context.sendActivity(elusMessages.staleCard);
      return this.reprompt(dc, state);
    }
    state.step = 'answer';
    state.topicId = topicId;
    state.mentions = mentions;
    state.choices = shown;
    return Dialog.EndOfTurn;
  }

  private async showSuggestions(
    dc: DialogContext,
    state: ElusState,
    topics: string[],
  ): Promise<DialogTurnResult> {
    state.step = 'answer';
    delete state.topicId;
    delete state.mentions;
    state.choices = await this.sendSuggestions(dc, topics);
    return Dialog.EndOfTurn;
  }

  private sendAnswer(
    dc: DialogContext,
    topicId: string,
    related: string[],
    mentions: Mentions = {},
  ): Promise<string[] | undefined> {
    return sendTopicAnswer(dc.context, this.assistant, topicId, related, mentions);
  }

  private sendSuggestions(dc: DialogContext, topics: string[]): Promise<string[]> {
    return sendTopicSuggestions(dc.context, this.assistant, topics);
  }

  private async continueAnswer(dc: DialogContext, state: ElusState): Promise<DialogTurnResult> {
    const input = readInput(dc.context);
    const text = input.kind === 'text' ? input.text : '';
    const choices = state.choices ?? [];
    const ref = this.assistant.referential;
    const start = {
      value: '#start',
      label: 'Construire mon argumentaire',
      synonyms: ['construire', 'construire un argumentaire', 'mon argumentaire', 'oui', 'ok', 'go'],
    };
    const topics = choices.map((id) => ({
      value: id,
      label: ref.topic(id)?.title ?? id,
      synonyms: [`voir aussi ${ref.topic(id)?.title ?? id}`],
    }));
    // Numbers as on the card: under an answer 1 builds the argumentaire; among suggestions 1 to 3 are the topics.
    const options = state.topicId ? [start, ...topics] : [...topics, start];
    const picked = text ? matchChoice(text, options) : undefined;
    if (picked === '#start')
      return this.startFromTopic(dc, state, startValue(state.topicId ?? '', state.mentions ?? {}));
    if (picked) return this.showAnswer(dc, state, picked, []);
    if (input.kind === 'command' && (input.command === 'passer' || input.command === 'retour')) {
      await dc.context.sendActivity(messages.noQuestion);
      return Dialog.EndOfTurn;
    }
    return this.freeQuestion(dc, state, text, messages.notUnderstood);
  }

  /** Another free question while the dialog is open: answered, or the closest topics, or the dialog ends. */
  private async freeQuestion(
    dc: DialogContext,
    state: ElusState,
    text: string,
    fallback: string,
  ): Promise<DialogTurnResult> {
    const classification = text ? this.assistant.ask(text) : { kind: 'none' as const, ranking: [] };
    if (classification.kind === 'argumentaire') return this.startGuided(dc, state, {});
    const aside = state.step === 'argumentaire';
    if (classification.kind === 'sure') {
      const { id } = classification.best.topic;
      const related = relatedTopics(classification.ranking);
      const mentions = this.assistant.mentionsOf(text);
      if (!aside) return this.showAnswer(dc, state, id, related, mentions);
      await this.sendAnswer(dc, id, related, mentions);
      return Dialog.EndOfTurn;
    }
    if (classification.kind === 'weak') {
      const topics = classification.ranking.slice(0, 3).map((m) => m.topic.id);
      if (!aside) return this.showSuggestions(dc, state, topics);
      await this.sendSuggestions(dc, topics);
      return Dialog.EndOfTurn;
    }
    await dc.context.sendActivity(fallback);
    if (state.step === 'argumentaire') return Dialog.EndOfTurn;
    return dc.endDialog();
  }

  /** After an answer given on the way: the step's card again; at the argumentaire, nothing more. */
  private async repromptStep(dc: DialogContext, state: ElusState): Promise<DialogTurnResult> {
    if (state.step === 'argumentaire') return Dialog.EndOfTurn;
    return this.reprompt(dc, state);
  }

  private async reprompt(dc: DialogContext, state: ElusState): Promise<DialogTurnResult> {
    if (profileSteps.includes(state.step as ProfileStep))
      await dc.context.sendActivity(this.stepActivity(state, state.step as ProfileStep));
    else if (state.step === 'argumentaire') await this.sendArgumentaire(dc.context, state);
    return Dialog.EndOfTurn;
  }
}

/** Sends the answer card of a topic; the ids of the related topics shown, or undefined for an unknown topic. */
export async function sendTopicAnswer(
  context: TurnContext,
  assistant: ElusAssistant,
  topicId: string,
  related: string[],
  mentions: Mentions = {},
): Promise<string[] | undefined> {
  const answer = assistant.answer(topicId, mentions);
  if (!answer) return undefined;
  const relatedShown = related
    .flatMap((id) => assistant.referential.topic(id) ?? [])
    .map((t) => ({ id: t.id, title: t.title }));
  await context.sendActivity(
    MessageFactory.attachment(CardFactory.adaptiveCard(argumentaireAnswerCard(answer, relatedShown))),
  );
  return relatedShown.map((t) => t.id);
}

/** Sends the closest topics as buttons; the ids shown. */
export async function sendTopicSuggestions(
  context: TurnContext,
  assistant: ElusAssistant,
  topics: string[],
): Promise<string[]> {
  const shown = topics
    .flatMap((id) => assistant.referential.topic(id) ?? [])
    .map((t) => ({ id: t.id, title: t.title }));
  await context.sendActivity(
    MessageFactory.attachment(CardFactory.adaptiveCard(argumentaireSuggestionsCard(shown))),
  );
  return shown.map((t) => t.id);
}

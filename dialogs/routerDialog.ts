import { ComponentDialog, Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import { nextIndicator, progressOf } from '../src/domain/assessment/assessment.js';
import { startAfresh, type Command } from '../src/domain/language/commands.js';
import { respondentView } from '../src/domain/records/diagnostic.js';
import { menuCard } from '../cards/menuCard.js';
import { restartCard } from '../cards/restartCard.js';
import type { DialogDeps } from './deps.js';
import { DiagnosticDialog, diagnosticDialogId, pauseSummary } from './diagnosticDialog.js';
import { identityOf, resolveIdentity } from './identity.js';
import { resumeCodeLine } from './resumeExtension.js';
import { maxTextLength, readInput } from './input.js';
import { messages } from './messages.js';
import { sendResults } from './results.js';
import { SetupDialog, setupDialogId } from './setupDialog.js';

export const routerDialogId = 'router';

/** Extra flows plugged into the router: free questions and commands handled elsewhere (élus, workspace, privacy). */
export interface RouterExtension {
  /** Child dialogs to add to the router. */
  dialogs?: Dialog[];
  /** Handles a command; returns undefined when it is not its own. */
  command?(dc: DialogContext, command: Command, argument?: string): Promise<DialogTurnResult | undefined>;
  /** Handles a card button of its own that reaches another flow (or none); undefined when it is not its own. */
  cardAction?(dc: DialogContext, field: string, value: string): Promise<DialogTurnResult | undefined>;
  /**
   * Answers text typed in passing while a flow waits for an answer it could not read (a question during the
   * diagnostic); true when it said something, and the flow asks its question again.
   */
  inPassing?(context: TurnContext, text: string): Promise<boolean>;
  /** Handles free text no dialog is waiting for; returns undefined when it has nothing to say. */
  freeText?(dc: DialogContext, text: string): Promise<DialogTurnResult | undefined>;
}

/**
 * The conversation's root: global commands work at any point (interrupting the current flow), everything else
 * goes to the active flow, and free text to the extensions.
 */
export class RouterDialog extends ComponentDialog {
  constructor(
    private readonly deps: DialogDeps,
    private readonly extensions: RouterExtension[] = [],
  ) {
    super(routerDialogId);
    this.addDialog(new DiagnosticDialog(deps, (context, text) => this.inPassing(context, text)));
    this.addDialog(new SetupDialog(deps));
    for (const extension of extensions) for (const dialog of extension.dialogs ?? []) this.addDialog(dialog);
  }

  protected override async onBeginDialog(inner: DialogContext): Promise<DialogTurnResult> {
    return this.route(inner);
  }

  protected override async onContinueDialog(inner: DialogContext): Promise<DialogTurnResult> {
    return this.route(inner);
  }

  private async inPassing(context: TurnContext, text: string): Promise<boolean> {
    for (const extension of this.extensions) if (await extension.inPassing?.(context, text)) return true;
    return false;
  }

  private async route(inner: DialogContext): Promise<DialogTurnResult> {
    await resolveIdentity(inner.context, this.deps.service.store);
    const input = readInput(inner.context);
    const childActive = inner.activeDialog !== undefined;
    if (input.kind === 'choice') {
      for (const extension of this.extensions) {
        const handled = await extension.cardAction?.(inner, input.field, input.value);
        if (handled) return handled;
      }
    }
    switch (input.kind) {
      case 'tooLong':
        await inner.context.sendActivity(messages.tooLong(maxTextLength));
        return Dialog.EndOfTurn;
      case 'empty':
        return Dialog.EndOfTurn;
      case 'invalidCard':
        await inner.context.sendActivity(messages.invalidCard);
        if (childActive) await inner.repromptDialog();
        return Dialog.EndOfTurn;
      case 'command':
        if ((input.command === 'retour' || input.command === 'passer') && childActive) break;
        return this.command(inner, input.command, input.argument);
      case 'text':
        if (childActive) break;
        for (const extension of this.extensions) {
          const handled = await extension.freeText?.(inner, input.text);
          if (handled) return handled;
        }
        await inner.context.sendActivity(messages.notUnderstood);
        return Dialog.EndOfTurn;
      default:
        if (!childActive) {
          await inner.context.sendActivity(messages.staleCardNoQuestion);
          await this.sendMenu(inner, false);
          return Dialog.EndOfTurn;
        }
    }
    await inner.continueDialog();
    return Dialog.EndOfTurn;
  }

  private async command(
    inner: DialogContext,
    command: Command,
    argument?: string,
  ): Promise<DialogTurnResult> {
    if (command === 'reprendre' && argument) {
      // a resume code: the extension links this device, then the resume goes on as the same person
      for (const extension of this.extensions) {
        const handled = await extension.command?.(inner, command, argument);
        if (handled) return handled;
      }
    }
    const { respondentId } = identityOf(inner.context);
    const { service } = this.deps;
    switch (command) {
      case 'menu':
        await inner.cancelAllDialogs();
        await this.sendMenu(inner, false);
        return Dialog.EndOfTurn;
      case 'aide':
        await inner.context.sendActivity(messages.help);
        if (inner.activeDialog) await inner.repromptDialog();
        return Dialog.EndOfTurn;
      case 'diagnostic_rapide': {
        if (argument !== startAfresh && (await this.confirmRestart(inner, respondentId, 'quick')))
          return Dialog.EndOfTurn;
        await inner.cancelAllDialogs();
        const diagnostic = await service.startDiagnostic(respondentId, { kind: 'quick' });
        await inner.beginDialog(diagnosticDialogId, { diagnosticId: diagnostic.id });
        return Dialog.EndOfTurn;
      }
      case 'diagnostic_complet':
        if (argument !== startAfresh && (await this.confirmRestart(inner, respondentId, 'full')))
          return Dialog.EndOfTurn;
        await inner.cancelAllDialogs();
        await inner.beginDialog(setupDialogId);
        return Dialog.EndOfTurn;
      case 'reprendre': {
        await inner.cancelAllDialogs();
        const diagnostic = await service.resumableDiagnostic(respondentId, this.deps.referentials.maturity);
        if (!diagnostic) {
          await inner.context.sendActivity(messages.nothingToResume);
          return Dialog.EndOfTurn;
        }
        if (!nextIndicator(this.deps.referentials.maturity, respondentView(diagnostic, respondentId))) {
          // Every question answered but never finished (a crash right after the last answer): finish it now.
          const finished = diagnostic.finishedAt ? diagnostic : await service.finish(diagnostic.id);
          await inner.context.sendActivity(messages.alreadyFinished);
          await sendResults(inner.context, this.deps, finished, { detailed: false });
          return Dialog.EndOfTurn;
        }
        await inner.beginDialog(diagnosticDialogId, { diagnosticId: diagnostic.id, resume: true });
        return Dialog.EndOfTurn;
      }
      case 'resultats':
      case 'details': {
        const diagnostic = await service.activeDiagnostic(respondentId);
        if (!diagnostic || Object.keys(diagnostic.answers).length === 0) {
          await inner.context.sendActivity(messages.noResults);
          if (inner.activeDialog) await inner.repromptDialog();
          return Dialog.EndOfTurn;
        }
        await inner.cancelAllDialogs();
        const complete = !nextIndicator(
          this.deps.referentials.maturity,
          respondentView(diagnostic, respondentId),
        );
        // every question answered (the summary's « Voir les résultats »): the diagnostic is finished, with its report
        const shown = complete && !diagnostic.finishedAt ? await service.finish(diagnostic.id) : diagnostic;
        await sendResults(inner.context, this.deps, shown, {
          detailed: command === 'details',
        });
        if (nextIndicator(this.deps.referentials.maturity, respondentView(diagnostic, respondentId))) {
          await inner.context.sendActivity(pauseSummary(this.deps, diagnostic, respondentId));
        }
        return Dialog.EndOfTurn;
      }
      case 'pause': {
        await inner.cancelAllDialogs();
        const diagnostic = await service.activeDiagnostic(respondentId);
        const open =
          diagnostic &&
          nextIndicator(this.deps.referentials.maturity, respondentView(diagnostic, respondentId));
        await inner.context.sendActivity(
          open
            ? `${pauseSummary(this.deps, diagnostic, respondentId)}\n\n${await resumeCodeLine(this.deps, inner)}`
            : messages.noQuestion,
        );
        return Dialog.EndOfTurn;
      }
      case 'annuler':
        if (!inner.activeDialog) {
          await inner.context.sendActivity(messages.nothingToCancel);
          return Dialog.EndOfTurn;
        }
        await inner.cancelAllDialogs();
        await inner.context.sendActivity(messages.cancelled);
        return Dialog.EndOfTurn;
      case 'retour':
      case 'passer':
        await inner.context.sendActivity(messages.noQuestion);
        return Dialog.EndOfTurn;
      default:
        for (const extension of this.extensions) {
          const handled = await extension.command?.(inner, command, argument);
          if (handled) return handled;
        }
        await inner.context.sendActivity(messages.notAvailableYet);
        return Dialog.EndOfTurn;
    }
  }

  /**
   * Starting again while a diagnostic of the same kind is under way with answers: ask first (reprendre, or a new one;
   * the answers stay either way). True when the question was asked.
   */
  private async confirmRestart(
    inner: DialogContext,
    respondentId: string,
    kind: 'quick' | 'full',
  ): Promise<boolean> {
    const active = await this.deps.service.activeDiagnostic(respondentId);
    if (!active || active.finishedAt || (active.scope.kind === 'quick') !== (kind === 'quick')) return false;
    const view = respondentView(active, respondentId);
    const next = nextIndicator(this.deps.referentials.maturity, view);
    const { answered, total } = progressOf(this.deps.referentials.maturity, view);
    if (!next || answered === 0) return false;
    const card = restartCard({
      label: kind === 'quick' ? 'diagnostic rapide' : 'diagnostic complet',
      answered,
      total,
      command: kind === 'quick' ? 'diagnostic_rapide' : 'diagnostic_complet',
      argument: startAfresh,
    });
    await inner.context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
    return true;
  }

  async sendMenu(inner: DialogContext, welcome: boolean): Promise<void> {
    await resolveIdentity(inner.context, this.deps.service.store);
    const { respondentId } = identityOf(inner.context);
    const diagnostic = await this.deps.service.resumableDiagnostic(
      respondentId,
      this.deps.referentials.maturity,
    );
    let resume: string | undefined;
    const view = diagnostic && respondentView(diagnostic, respondentId);
    if (view && nextIndicator(this.deps.referentials.maturity, view)) {
      const { answered, total } = progressOf(this.deps.referentials.maturity, view);
      resume = `Vous avez un diagnostic en cours (${answered} réponse${answered > 1 ? 's' : ''} sur ${total}) : touchez « Reprendre » pour le continuer.`;
    }
    await inner.context.sendActivity(
      MessageFactory.attachment(
        CardFactory.adaptiveCard(menuCard({ welcome, ...(resume ? { resume } : {}) })),
      ),
    );
  }
}

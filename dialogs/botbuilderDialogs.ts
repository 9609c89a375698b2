/**
 * The parts of botbuilder-dialogs the assistant uses, imported from their own modules: the package's index also
 * loads every prompt and, with them, Microsoft's recognizers for all languages (≈ 0.25 s of start-up and ≈ 40 MB
 * of memory, docs/benchmarks.md) that the assistant never calls — French numbers go to their own worker
 * (src/domain/language/numbers.ts). Types come from the index as usual (erased at build).
 */
export { ComponentDialog } from 'botbuilder-dialogs/lib/componentDialog.js';
export { Dialog, DialogTurnStatus } from 'botbuilder-dialogs/lib/dialog.js';
export { DialogSet } from 'botbuilder-dialogs/lib/dialogSet.js';
export type {
  DialogContext,
  DialogInstance,
  DialogState,
  DialogStateManagerConfiguration,
  DialogTurnResult,
} from 'botbuilder-dialogs';

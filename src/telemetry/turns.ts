import type { TurnContext } from 'botbuilder';
import type { DialogContext } from 'botbuilder-dialogs';

/** What a turn is measured by: never what was typed, never who typed it or in which conversation. */
export interface TurnLabels {
  /**
   * The flow the turn ran in: the router's active child dialog (`diagnostic`, `setup`, `elus`…), `router` when the
   * router answered itself (menu, commands, free questions), `none` when no dialog ran (an activity other than a
   * message, or a failure before the dialog state could be read).
   */
  dialog: string;
  /** `msteams`, `webchat`, `directline`, `emulator`, `test`, or `other`. */
  channel: string;
  /** `message`, `conversationUpdate`, `invoke`…, or `other`. */
  activityType: string;
}

/** Where turns are recorded when telemetry is on (src/telemetry/start.ts): it runs the turn and measures it. */
export interface TurnRecorder {
  turn(run: () => Promise<void>, labels: () => TurnLabels): Promise<void>;
}

let recorder: TurnRecorder | undefined;

/** Turns are measured by `next` from now on; `undefined` stops measuring. */
export function setTurnRecorder(next: TurnRecorder | undefined): void {
  recorder = next;
}

const dialogKey = Symbol('telemetry.dialog');
const knownChannels = new Set(['msteams', 'webchat', 'directline', 'emulator', 'test']);
const knownTypes = new Set([
  'message',
  'conversationUpdate',
  'invoke',
  'messageReaction',
  'messageUpdate',
  'messageDelete',
  'installationUpdate',
  'event',
  'typing',
  'endOfConversation',
]);

/** Runs the turn, measured when telemetry is on; nothing more otherwise. */
export function measureTurn(context: TurnContext, run: () => Promise<void>): Promise<void> {
  if (!recorder) return run();
  return recorder.turn(run, () => ({
    dialog: (context.turnState.get(dialogKey) as string | undefined) ?? 'none',
    channel: knownChannels.has(context.activity.channelId) ? context.activity.channelId : 'other',
    activityType: knownTypes.has(context.activity.type) ? context.activity.type : 'other',
  }));
}

/**
 * Names the turn after the flow it runs in: the router's active child dialog when the turn starts, or, when there was
 * none, the one the turn started, or `router`. Called before and after the dialogs run.
 */
export function noteDialog(context: TurnContext, dc: DialogContext): void {
  if (!recorder) return;
  const noted = context.turnState.get(dialogKey) as string | undefined;
  if (noted === undefined || noted === 'router') {
    context.turnState.set(dialogKey, dc.child?.activeDialog?.id ?? 'router');
  }
}

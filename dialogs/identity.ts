import type { Activity, TurnContext } from 'botbuilder';
import { resolveRespondent } from '../src/domain/identity/resumeCode.js';
import type { RecordStore } from '../src/domain/records/recordStore.js';

export interface Identity {
  /** Stable id of the person across conversations of one channel (Teams: per tenant and AAD object). */
  respondentId: string;
  tenantId?: string;
}

const channelGroups = new Map([
  ['webchat', 'web'],
  ['directline', 'web'],
  ['msteams', 'msteams'],
  ['emulator', 'emulator'],
]);

/** Who this channel says is writing: the device's own identity. */
export function deviceIdentityOf(activity: Partial<Activity>): Identity {
  const channel = channelGroups.get(activity.channelId ?? '') ?? (activity.channelId || 'unknown');
  const from = activity.from ?? { id: 'anonyme', name: '' };
  if (channel === 'msteams') {
    const tenantId =
      (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id ??
      activity.conversation?.tenantId ??
      'sans-tenant';
    return { respondentId: `msteams:${tenantId}:${from.aadObjectId ?? from.id}`, tenantId };
  }
  return { respondentId: `${channel}:${from.id}` };
}

const resolvedKey = Symbol('respondentId');

/** Who answers in this turn: the device's identity, or the person it was linked to with a resume code. */
export function identityOf(context: TurnContext): Identity {
  const device = deviceIdentityOf(context.activity);
  const resolved = context.turnState.get<string | undefined>(resolvedKey);
  return resolved ? { ...device, respondentId: resolved } : device;
}

/** Looks up, once per turn, whether this device answers as someone else (a resume code used on it). */
export async function resolveIdentity(context: TurnContext, store: RecordStore): Promise<void> {
  if (context.turnState.has(resolvedKey)) return;
  const device = deviceIdentityOf(context.activity).respondentId;
  context.turnState.set(resolvedKey, await resolveRespondent(store, device));
}

/** From now on in this turn, the device answers as `respondentId` (a resume code was just used). */
export function answerAs(context: TurnContext, respondentId: string): void {
  context.turnState.set(resolvedKey, respondentId);
}

/** Who is guessing a code (join or resume), for slowing down wrong guesses: the person and the conversation. */
export function guesserKeys(activity: Partial<Activity>, respondentId: string): string[] {
  return [`respondent:${respondentId}`, `conversation:${activity.channelId}/${activity.conversation?.id}`];
}

/** Several people write to the bot in this conversation (Teams group chat or channel). */
export function isGroupConversation(activity: Partial<Activity>): boolean {
  const conversation = activity.conversation;
  return (
    conversation?.isGroup === true || ['groupChat', 'channel'].includes(conversation?.conversationType ?? '')
  );
}

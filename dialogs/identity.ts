import type { Activity } from 'botbuilder';

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

export function identityOf(activity: Partial<Activity>): Identity {
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

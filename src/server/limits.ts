/**
 * What `POST /api/messages` accepts before the Bot Framework adapter sees it: an activity with the fields every
 * channel sends (Teams, Direct Line, the Emulator), and nothing huge. botbuilder itself crashes or answers 500 on
 * activities without `type`, `conversation.id` or `recipient`, with a non-string `text` or malformed mentions;
 * these are refused here with a French 400/413 instead.
 */
export const activityLimits = {
  /** Ten times what the dialogs understand (dialogs/input.ts): between the two, the bot says "trop long" itself. */
  maxTextChars: 20_000,
  /** Card submits are a few fields; Teams invokes a little more. */
  maxValueBytes: 16 * 1024,
  maxChannelDataBytes: 32 * 1024,
  maxAttachments: 10,
  maxEntities: 50,
  maxMembers: 1_000,
  /** Objects and arrays inside one another. */
  maxDepth: 32,
  /** Ids, names, channel ids, urls, locales. */
  maxFieldChars: 2_048,
};

export type ActivityLimits = typeof activityLimits;

export interface ActivityRefusal {
  status: 400 | 413;
  code: 'InvalidActivity' | 'ActivityTooLarge';
  message: string;
}

type Json = Record<string, unknown>;

const invalid = (detail: string): ActivityRefusal => ({
  status: 400,
  code: 'InvalidActivity',
  message: `Activité invalide : ${detail}.`,
});

const tooLarge = (detail: string): ActivityRefusal => ({
  status: 413,
  code: 'ActivityTooLarge',
  message: `Message trop volumineux : ${detail}.`,
});

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isShortString = (value: unknown, max: number, allowEmpty = false): value is string =>
  typeof value === 'string' && value.length <= max && (allowEmpty || value.trim() !== '');

const byteLength = (value: unknown): number => Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');

/** Deepest nesting of objects and arrays, walked without recursion (a hostile body cannot overflow the stack). */
export function nestingDepth(value: unknown, stopAbove = Infinity): number {
  let deepest = 0;
  const pending: [unknown, number][] = [[value, 1]];
  while (pending.length > 0) {
    const [node, depth] = pending.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    deepest = Math.max(deepest, depth);
    if (deepest > stopAbove) return deepest;
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return deepest;
}

/** Replies copy these accounts, and the Connector's serializer rejects a reply whose fields have the wrong type. */
function checkAccount(
  activity: Json,
  field: 'from' | 'recipient' | 'conversation',
  max: number,
): ActivityRefusal | undefined {
  const account = activity[field];
  if (!isObject(account) || !isShortString(account.id, max))
    return invalid(`« ${field}.id » manquant ou invalide`);
  for (const key of ['name', 'aadObjectId', 'role', 'tenantId', 'conversationType']) {
    const value = account[key];
    if (value !== undefined && value !== null && !isShortString(value, max, true)) {
      return invalid(`« ${field}.${key} » invalide`);
    }
  }
  if (account.isGroup !== undefined && account.isGroup !== null && typeof account.isGroup !== 'boolean') {
    return invalid(`« ${field}.isGroup » invalide`);
  }
  return undefined;
}

const isHttpUrl = (value: string): boolean =>
  URL.canParse(value) && /^https?:$/.test(new URL(value).protocol);

function checkList(
  activity: Json,
  field: string,
  max: number,
  item: (entry: Json) => boolean = () => true,
): ActivityRefusal | undefined {
  const list = activity[field];
  if (list === undefined || list === null) return undefined;
  if (!Array.isArray(list)) return invalid(`« ${field} » doit être une liste`);
  if (list.length > max) return tooLarge(`${max} éléments au plus dans « ${field} »`);
  if (!list.every((entry) => isObject(entry) && item(entry)))
    return invalid(`élément invalide dans « ${field} »`);
  return undefined;
}

/** Undefined when the activity may go to the adapter; otherwise the status and French message to answer with. */
export function checkActivity(
  body: unknown,
  limits: ActivityLimits = activityLimits,
): ActivityRefusal | undefined {
  if (!isObject(body)) return invalid('un objet JSON (activité Bot Framework) est attendu');
  if (nestingDepth(body, limits.maxDepth) > limits.maxDepth) {
    return invalid(`structure trop imbriquée (${limits.maxDepth} niveaux au plus)`);
  }
  const max = limits.maxFieldChars;
  if (!isShortString(body.type, 64)) return invalid('« type » manquant ou invalide');
  if (!isShortString(body.channelId, 64)) return invalid('« channelId » manquant ou invalide');
  if (!isShortString(body.serviceUrl, max) || !isHttpUrl(body.serviceUrl)) {
    return invalid('« serviceUrl » manquant ou invalide');
  }
  const account =
    checkAccount(body, 'conversation', max) ??
    checkAccount(body, 'from', max) ??
    checkAccount(body, 'recipient', max);
  if (account) return account;
  for (const field of [
    'id',
    'replyToId',
    'locale',
    'name',
    'deliveryMode',
    'textFormat',
    'timestamp',
    'localTimestamp',
  ]) {
    const value = body[field];
    if (value !== undefined && value !== null && !isShortString(value, max, true)) {
      return invalid(`« ${field} » doit être une chaîne de caractères courte`);
    }
  }
  if (body.text !== undefined && body.text !== null) {
    if (typeof body.text !== 'string') return invalid('« text » doit être une chaîne de caractères');
    if (body.text.length > limits.maxTextChars) {
      return tooLarge(`${limits.maxTextChars.toLocaleString('fr-FR')} caractères au plus`);
    }
  }
  if (body.value !== undefined && byteLength(body.value) > limits.maxValueBytes) {
    return tooLarge(`valeur de carte de ${Math.round(limits.maxValueBytes / 1024)} Ko au plus`);
  }
  if (body.type === 'invoke' && body.name !== 'healthCheck') {
    // botbuilder's Teams and Adaptive Card invoke handlers read `value` (and `value.action`) unchecked.
    if (!isObject(body.value)) return invalid('« value » manquant pour un « invoke »');
    if (body.name === 'adaptiveCard/action' && !isObject(body.value.action)) {
      return invalid('« value.action » manquant');
    }
  }
  if (body.channelData !== undefined && body.channelData !== null) {
    if (!isObject(body.channelData)) return invalid('« channelData » doit être un objet');
    if (byteLength(body.channelData) > limits.maxChannelDataBytes) {
      return tooLarge(`« channelData » de ${Math.round(limits.maxChannelDataBytes / 1024)} Ko au plus`);
    }
  }
  return (
    checkList(body, 'attachments', limits.maxAttachments) ??
    checkList(body, 'entities', limits.maxEntities, isWellFormedEntity) ??
    checkList(body, 'membersAdded', limits.maxMembers, (m) => isShortString(m.id, max)) ??
    checkList(body, 'membersRemoved', limits.maxMembers, (m) => isShortString(m.id, max)) ??
    checkList(body, 'reactionsAdded', limits.maxEntities) ??
    checkList(body, 'reactionsRemoved', limits.maxEntities)
  );
}

/** botbuilder reads `type` of every entity, and `mentioned.id` of every mention, without checking them. */
function isWellFormedEntity(entity: Json): boolean {
  if (typeof entity.type !== 'string') return false;
  if (entity.type.toLowerCase() !== 'mention') return true;
  return (
    isObject(entity.mentioned) &&
    typeof entity.mentioned.id === 'string' &&
    (entity.text === undefined || typeof entity.text === 'string')
  );
}

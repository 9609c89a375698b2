/** An activity as JSON: the Direct Line stores and relays it, the bot owns its meaning. */
export type JsonActivity = Record<string, unknown> & { id?: string; type?: string };

export interface ActivitySet {
  activities: JsonActivity[];
  watermark?: string;
}

export interface StoreLimits {
  /** Open conversations kept; the least recently used one goes first. */
  maxConversations: number;
  /** Activities kept per conversation (the oldest go first). */
  maxActivities: number;
  /** Serialized size kept per conversation. */
  maxBytesPerConversation: number;
  /** Serialized size kept for all conversations together. */
  maxTotalBytes: number;
  /** A conversation nobody touched for this long is closed. */
  idleMs: number;
}

export const defaultStoreLimits: StoreLimits = {
  maxConversations: 1000,
  maxActivities: 500,
  maxBytesPerConversation: 1024 * 1024,
  maxTotalBytes: 64 * 1024 * 1024,
  idleMs: 60 * 60 * 1000,
};

export type CloseReason = 'idle' | 'evicted' | 'shutdown';

interface Entry {
  seq: number;
  bytes: number;
  activity: JsonActivity;
}

export class Conversation {
  started = false;
  seq = 0;
  bytes = 0;
  lastSeen: number;
  locale: string | undefined;
  readonly entries: Entry[] = [];
  readonly listeners = new Set<(set: ActivitySet) => void>();
  /** Activities reach the bot one after the other, in the order the client sent them. */
  turn: Promise<unknown> = Promise.resolve();
  private lastTimestamp = 0;

  constructor(
    readonly id: string,
    readonly userId: string,
    now: number,
  ) {
    this.lastSeen = now;
  }

  /** Server timestamps strictly increase inside a conversation: Web Chat orders activities by them. */
  nextTimestamp(now: number): string {
    this.lastTimestamp = Math.max(now, this.lastTimestamp + 1);
    return new Date(this.lastTimestamp).toISOString();
  }

  emit(set: ActivitySet): void {
    for (const listener of this.listeners) listener(set);
  }
}

/**
 * The local Direct Line's memory: conversations with a bounded queue of activities each, at most
 * `maxConversations` of them and `maxTotalBytes` in all, closed after `idleMs` without a request.
 * Single process only: two server instances do not share it.
 */
export class ConversationStore {
  private readonly conversations = new Map<string, Conversation>();
  private totalBytes = 0;

  constructor(
    readonly limits: StoreLimits = defaultStoreLimits,
    private readonly onClose: (conversation: Conversation, reason: CloseReason) => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.conversations.size;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  /** The conversation, created if needed; `created` tells which. */
  open(id: string, userId: string): { conversation: Conversation; created: boolean } {
    const existing = this.get(id);
    if (existing) return { conversation: existing, created: false };
    while (this.conversations.size >= this.limits.maxConversations) this.evictOldest('evicted');
    const conversation = new Conversation(id, userId, this.now());
    this.conversations.set(id, conversation);
    return { conversation, created: true };
  }

  /** The conversation if it is still open; marks it as used. */
  get(id: string): Conversation | undefined {
    const conversation = this.conversations.get(id);
    if (!conversation) return undefined;
    conversation.lastSeen = this.now();
    this.conversations.delete(id);
    this.conversations.set(id, conversation);
    return conversation;
  }

  /** Stores an activity with its Direct Line id (`conversationId|seq`), a server timestamp, and sends it to listeners. */
  append(conversation: Conversation, activity: JsonActivity): JsonActivity {
    conversation.seq += 1;
    const stored: JsonActivity = {
      ...activity,
      id: activity.id ?? `${conversation.id}|${conversation.seq}`,
      timestamp: conversation.nextTimestamp(this.now()),
    };
    this.push(conversation, stored);
    return stored;
  }

  /** Replaces a stored activity (same id); listeners and later polls receive the new version. */
  replace(conversation: Conversation, activityId: string, activity: JsonActivity): JsonActivity | undefined {
    const index = conversation.entries.findIndex((e) => e.activity.id === activityId);
    if (index < 0) return undefined;
    const [old] = conversation.entries.splice(index, 1);
    if (old) this.account(conversation, -old.bytes);
    conversation.seq += 1;
    const stored: JsonActivity = {
      ...activity,
      id: activityId,
      timestamp: old?.activity.timestamp ?? conversation.nextTimestamp(this.now()),
    };
    this.push(conversation, stored);
    return stored;
  }

  remove(conversation: Conversation, activityId: string): boolean {
    const index = conversation.entries.findIndex((e) => e.activity.id === activityId);
    if (index < 0) return false;
    const [old] = conversation.entries.splice(index, 1);
    if (old) this.account(conversation, -old.bytes);
    return true;
  }

  /** Activities after `watermark` (all kept ones when it is missing or unknown) and the new watermark. */
  since(conversation: Conversation, watermark: string | undefined): ActivitySet {
    const after = watermark !== undefined && /^\d+$/.test(watermark) ? Number(watermark) : 0;
    return {
      activities: conversation.entries.filter((e) => e.seq > after).map((e) => e.activity),
      watermark: String(conversation.seq),
    };
  }

  /** Closes the conversations idle for longer than `idleMs`; returns how many. */
  sweep(): number {
    const limit = this.now() - this.limits.idleMs;
    let closed = 0;
    for (const conversation of this.conversations.values()) {
      if (conversation.lastSeen > limit) break;
      this.close(conversation, 'idle');
      closed += 1;
    }
    return closed;
  }

  closeAll(): void {
    for (const conversation of [...this.conversations.values()]) this.close(conversation, 'shutdown');
  }

  private push(conversation: Conversation, activity: JsonActivity): void {
    const bytes = Buffer.byteLength(JSON.stringify(activity));
    conversation.entries.push({ seq: conversation.seq, bytes, activity });
    this.account(conversation, bytes);
    while (
      conversation.entries.length > 1 &&
      (conversation.entries.length > this.limits.maxActivities ||
        conversation.bytes > this.limits.maxBytesPerConversation)
    ) {
      const dropped = conversation.entries.shift();
      if (dropped) this.account(conversation, -dropped.bytes);
    }
    while (this.totalBytes > this.limits.maxTotalBytes && this.conversations.size > 1) {
      const oldest = this.conversations.values().next().value;
      if (!oldest || oldest === conversation) break;
      this.close(oldest, 'evicted');
    }
    conversation.emit({ activities: [activity], watermark: String(conversation.seq) });
  }

  private account(conversation: Conversation, delta: number): void {
    conversation.bytes += delta;
    this.totalBytes += delta;
  }

  private evictOldest(reason: CloseReason): void {
    const oldest = this.conversations.values().next().value;
    if (oldest) this.close(oldest, reason);
  }

  private close(conversation: Conversation, reason: CloseReason): void {
    if (this.conversations.get(conversation.id) !== conversation) return;
    this.conversations.delete(conversation.id);
    this.totalBytes -= conversation.bytes;
    conversation.listeners.clear();
    this.onClose(conversation, reason);
  }
}

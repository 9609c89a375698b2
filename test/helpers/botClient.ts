import { randomUUID } from 'node:crypto';
import type { AnswerValue } from '../../src/domain/scoring/answers.js';

/** How a person types each answer. */
export const typedAnswers: Record<AnswerValue, string> = {
  oui: 'oui',
  en_partie: 'en partie',
  non: 'non',
  nsp: 'je ne sais pas',
};

export interface ReplyActivity {
  type: string;
  text?: string;
  attachments?: { contentType: string; content: Record<string, unknown> }[];
}

/** Everything a person would read in a reply: its text and the text of its cards. */
export function readable(activities: ReplyActivity[]): string {
  const texts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      for (const key of ['text', 'title', 'label'])
        if (typeof o[key] === 'string') texts.push(o[key] as string);
      for (const [key, value] of Object.entries(o))
        if (key !== 'data' && typeof value === 'object') walk(value);
    }
  };
  for (const a of activities) {
    if (a.text) texts.push(a.text);
    walk(a.attachments?.map((x) => x.content));
  }
  return texts.join('\n');
}

/** A person talking to the bot through POST /api/messages with deliveryMode "expectReplies". */
export class BotClient {
  constructor(
    readonly url: string,
    readonly userId = `user-${randomUUID()}`,
    public conversationId = `conv-${randomUUID()}`,
    readonly channelId = 'test',
  ) {}

  async send(
    activity: Record<string, unknown>,
  ): Promise<{ status: number; activities: ReplyActivity[]; text: string }> {
    const res = await fetch(`${this.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id: randomUUID(),
        channelId: this.channelId,
        serviceUrl: 'http://127.0.0.1:9/',
        deliveryMode: 'expectReplies',
        conversation: { id: this.conversationId },
        from: { id: this.userId, name: 'Testeur' },
        recipient: { id: 'assistant', name: 'Assistant' },
        locale: 'fr-FR',
        timestamp: new Date().toISOString(),
        ...activity,
      }),
    });
    const body = (await res.json().catch(() => ({}))) as { activities?: ReplyActivity[] };
    const activities = body.activities ?? [];
    return { status: res.status, activities, text: readable(activities) };
  }

  say(text: string) {
    return this.send({ text });
  }

  submit(value: Record<string, unknown>) {
    return this.send({ text: '', value });
  }

  newConversation(): void {
    this.conversationId = `conv-${randomUUID()}`;
  }
}

import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/channels/directline/rateLimit.js';
import {
  ConversationStore,
  defaultStoreLimits,
  type CloseReason,
} from '../../src/channels/directline/store.js';
import { TokenSigner } from '../../src/channels/directline/token.js';

function clock(start = Date.parse('2026-01-01T00:00:00Z')) {
  const c = { t: start, now: () => c.t };
  return c;
}

describe('ConversationStore: a forgotten tab does not grow memory forever', () => {
  it('keeps the last activities of a conversation and numbers them conversationId|seq', () => {
    const store = new ConversationStore({ ...defaultStoreLimits, maxActivities: 3 });
    const { conversation } = store.open('c1', 'dl_user');
    for (let i = 1; i <= 5; i++) store.append(conversation, { type: 'message', text: `m${i}` });
    const all = store.since(conversation, undefined);
    expect(all.activities.map((a) => a.text)).toEqual(['m3', 'm4', 'm5']);
    expect(all.activities.map((a) => a.id)).toEqual(['c1|3', 'c1|4', 'c1|5']);
    expect(all.watermark).toBe('5');
    expect(store.since(conversation, '4').activities.map((a) => a.text)).toEqual(['m5']);
    expect(store.since(conversation, '5').activities).toEqual([]);
  });

  it('bounds the bytes of one conversation and of all of them', () => {
    const closed: string[] = [];
    const store = new ConversationStore(
      { ...defaultStoreLimits, maxBytesPerConversation: 2_000, maxTotalBytes: 5_000 },
      (c) => closed.push(c.id),
    );
    const big = 'x'.repeat(900);
    const a = store.open('a', 'dl_a').conversation;
    for (let i = 0; i < 5; i++) store.append(a, { type: 'message', text: big });
    expect(a.entries.length).toBe(2);
    expect(a.bytes).toBeLessThanOrEqual(2_000);
    for (const id of ['b', 'c', 'd']) {
      const conversation = store.open(id, `dl_${id}`).conversation;
      for (let i = 0; i < 2; i++) store.append(conversation, { type: 'message', text: big });
    }
    expect(store.bytes).toBeLessThanOrEqual(5_000);
    expect(closed).toContain('a');
  });

  it('closes the least recently used conversation beyond the maximum, and idle ones after a while', () => {
    const c = clock();
    const closed: [string, CloseReason][] = [];
    const store = new ConversationStore(
      { ...defaultStoreLimits, maxConversations: 2, idleMs: 60_000 },
      (conversation, reason) => closed.push([conversation.id, reason]),
      c.now,
    );
    store.open('a', 'dl_a');
    c.t += 1000;
    store.open('b', 'dl_b');
    c.t += 1000;
    store.get('a');
    store.open('c', 'dl_c');
    expect(closed).toEqual([['b', 'evicted']]);
    c.t += 1000;
    store.get('c');
    c.t += 59_500;
    expect(store.sweep()).toBe(1);
    expect(closed.at(-1)).toEqual(['a', 'idle']);
    expect(store.get('c')).toBeDefined();
    expect(store.size).toBe(1);
  });

  it('gives strictly increasing timestamps, since Web Chat orders activities by them', () => {
    const c = clock();
    const store = new ConversationStore(defaultStoreLimits, undefined, c.now);
    const { conversation } = store.open('t', 'dl_t');
    const stamps = [1, 2, 3].map(() => store.append(conversation, { type: 'message' }).timestamp as string);
    expect(new Set(stamps).size).toBe(3);
    expect([...stamps].sort()).toEqual(stamps);
  });
});

describe('RateLimiter', () => {
  it('lets a burst through, then refills with time', () => {
    const c = clock();
    const limiter = new RateLimiter(2, 1, 100, c.now);
    expect(limiter.take('ip').ok).toBe(true);
    expect(limiter.take('ip').ok).toBe(true);
    expect(limiter.take('ip')).toEqual({ ok: false, retryAfter: 1 });
    expect(limiter.take('autre').ok).toBe(true);
    c.t += 1000;
    expect(limiter.take('ip').ok).toBe(true);
  });

  it('never remembers more keys than allowed', () => {
    const limiter = new RateLimiter(1, 1, 10);
    for (let i = 0; i < 100; i++) limiter.take(`ip${i}`);
    expect(limiter.size).toBe(10);
  });
});

describe('TokenSigner', () => {
  it('signs a conversation and a user, and refuses the token once expired', () => {
    const c = clock();
    const signer = new TokenSigner(undefined, 60, c.now);
    const token = signer.sign('conv', 'dl_user');
    expect(signer.verify(token)).toMatchObject({ ok: true, claims: { conv: 'conv', user: 'dl_user' } });
    c.t += 61_000;
    expect(signer.verify(token)).toEqual({ ok: false, reason: 'expired' });
    expect(new TokenSigner().verify(token)).toEqual({ ok: false, reason: 'signature' });
    expect(signer.verify(undefined)).toEqual({ ok: false, reason: 'missing' });
  });
});

import { describe, expect, it } from 'vitest';
import { elusExtension } from '../../dialogs/elusExtension.js';
import type { ReplyActivity } from '../helpers/botClient.js';
import { createTestBot } from '../helpers/testBot.js';
import { assistant } from '../elus/helpers.js';

/** What a person does: type a message, or tap a card button (its data, with the card's inputs, as Web Chat posts it). */
type Step = { text: string } | { tap: string; value: Record<string, unknown> };

interface Button {
  title: string;
  value: Record<string, unknown>;
}

/** Where the crawl starts: what people type first, and the paths that need typing (a name, 13 answers). */
const starts: Step[][] = [
  [{ text: 'menu' }],
  [{ text: 'aide' }],
  [{ text: 'diagnostic rapide' }],
  [{ text: 'diagnostic complet' }, { text: 'Boutonville' }],
  [{ text: 'convaincre mon élu' }],
  [{ text: 'mes données' }],
  [{ text: 'diagnostic rapide' }, ...Array.from({ length: 13 }, () => ({ text: 'en partie' }))],
  // enjeu 1 answered to the end: the summary before the results
  [
    { text: 'diagnostic complet' },
    { text: 'Sommaireville' },
    { text: 'commune' },
    { text: 'aucune' },
    { text: '2' },
    ...Array.from({ length: 14 }, () => ({ text: 'non' })),
  ],
];

/** What the bot says when a tap did not work: the person would be stuck. */
const refusals = [
  /problème technique/,
  /n'est pas valide/,
  /ancienne carte/,
  /Je n['’]ai pas (bien )?(compris|reconnu)/,
  /^Choisissez /m,
];

/** What Teams cannot show whole: more than 6 buttons in one set (the rest go to a menu), titles over 30 characters. */
function phoneProblems(activities: ReplyActivity[]): string[] {
  const problems: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (Array.isArray(o.actions) && o.actions.length > 6)
      problems.push(`${o.actions.length} boutons dans un ensemble`);
    if (typeof o.type === 'string' && o.type.startsWith('Action.') && String(o.title).length > 30)
      problems.push(`bouton trop long : « ${String(o.title)} »`);
    Object.values(o).forEach(walk);
  };
  walk(activities.flatMap((a) => a.attachments?.map((x) => x.content) ?? []));
  return problems;
}

/** Every Action.Submit of the replies' cards, with what its card's inputs send when left as they are (or typed). */
function buttonsOf(activities: ReplyActivity[]): Button[] {
  const found: Button[] = [];
  for (const card of activities.flatMap((a) => a.attachments?.map((x) => x.content) ?? [])) {
    const inputs: Record<string, unknown> = {};
    const submits: { title: string; data: Record<string, unknown> }[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (!node || typeof node !== 'object') return;
      const o = node as Record<string, unknown>;
      if (typeof o.type === 'string' && o.type.startsWith('Input.') && typeof o.id === 'string') {
        inputs[o.id] =
          o.type === 'Input.Toggle'
            ? (o.value ?? o.valueOff ?? 'false')
            : o.type === 'Input.Text' || o.type === 'Input.Number'
              ? (o.value ?? '12')
              : (o.value ?? '');
      }
      if (o.type === 'Action.Submit')
        submits.push({ title: String(o.title), data: (o.data ?? {}) as Record<string, unknown> });
      Object.values(o).forEach(walk);
    };
    walk(card);
    for (const s of submits) found.push({ title: s.title, value: { ...inputs, ...s.data } });
  }
  return found;
}

/** One button per kind: the same answer on another question is the same kind (numbers do not count). */
const kindOf = (button: Button) =>
  `${button.title}|${JSON.stringify(button.value, (key, v: unknown) => (typeof v === 'number' ? 0 : v))}`;

async function replay(path: Step[]) {
  const bot = createTestBot({ extensions: (deps) => [elusExtension(deps, assistant)] });
  let reply = { activities: [] as ReplyActivity[], text: '' };
  for (const step of path) {
    if ('text' in step) {
      reply = await bot.say(step.text);
      continue;
    }
    // tapped as a person does: the button with that title on the cards just shown (its data is this session's)
    const button = buttonsOf(reply.activities).find((b) => b.title === step.tap);
    reply = await bot.submit(button?.value ?? step.value);
  }
  return reply;
}

describe('Règle : chaque bouton de chaque carte fait avancer la conversation', () => {
  it('toucher chaque bouton, comme Web Chat et Teams l’envoient, ne laisse jamais la personne bloquée', async () => {
    const seen = new Set<string>();
    const tapped: string[] = [];
    const stuck: string[] = [];
    const tooWide = new Set<string>();
    let frontier = starts;
    for (let depth = 0; depth < 6 && frontier.length > 0; depth++) {
      const next: Step[][] = [];
      for (const path of frontier) {
        const before = await replay(path);
        phoneProblems(before.activities).forEach((p) => tooWide.add(p));
        for (const button of buttonsOf(before.activities)) {
          const kind = kindOf(button);
          if (seen.has(kind)) continue;
          seen.add(kind);
          const step: Step = { tap: button.title, value: button.value };
          const after = await replay([...path, step]);
          tapped.push(button.title);
          const where = [...path.map((s) => ('text' in s ? s.text : `[${s.tap}]`)), `[${button.title}]`];
          if (after.activities.length === 0) stuck.push(`${where.join(' → ')} : aucune réponse`);
          else if (refusals.some((r) => r.test(after.text)))
            stuck.push(`${where.join(' → ')} : ${after.text.split('\n')[0]}`);
          else if (after.text === before.text) stuck.push(`${where.join(' → ')} : la même carte revient`);
          else next.push([...path, step]);
        }
      }
      frontier = next;
    }
    expect(stuck).toEqual([]);
    expect([...tooWide]).toEqual([]);
    for (const title of [
      'Les 4 enjeux (68 indicateurs)',
      'Oui',
      'En partie',
      'Non',
      'Je ne sais pas',
      'Passer',
      'Commune',
      'Voir les résultats',
    ]) {
      expect(tapped, `le bouton « ${title} » a été touché`).toContain(title);
    }
    expect(tapped).toContain('Enjeu 1');
    expect(tapped.length).toBeGreaterThan(40);
  }, 120_000);
});

describe('Règle : le choix de la portée du diagnostic complet se tape aussi', () => {
  it.each([
    ['les 4 enjeux', 'Indicateur 1 / 68'],
    ['Les quatre enjeux', 'Indicateur 1 / 68'],
    ['tous les enjeux', 'Indicateur 1 / 68'],
    ['enjeu 2', 'Enjeu 2'],
    ['1', 'Indicateur 1 / 68'],
  ])('« %s »', async (typed, expected) => {
    const bot = createTestBot();
    await bot.say('diagnostic complet');
    await bot.say('Tapeville');
    await bot.say('commune');
    await bot.say('aucune');
    const reply = await bot.say(typed);
    expect(reply.text).not.toContain('Choisissez');
    expect(reply.text).toContain(expected);
  });
});

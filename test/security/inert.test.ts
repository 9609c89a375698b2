import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plain } from '../../cards/template.js';
import { BotClient, type ReplyActivity } from '../helpers/botClient.js';
import { startServer, type RunningServer } from '../helpers/server.js';
import { openRecords, testRespondentId } from '../reliability/records.js';

const piege = '[clic](http://x) ![img](http://x/a.png) **gras** <b>x</b>';
const markdownLink = /!?\[([^\]]*)\]\(([^)\s]*)[^)]*\)/g;

/** Every string a reply carries (texts, card texts, titles, alt texts, urls), except the data sent back by buttons. */
function strings(activities: ReplyActivity[]): string[] {
  const found: string[] = [];
  const walk = (node: unknown, key = ''): void => {
    if (typeof node === 'string') found.push(node);
    else if (Array.isArray(node)) node.forEach((n) => walk(n));
    else if (node && typeof node === 'object' && key !== 'data') {
      for (const [k, v] of Object.entries(node)) walk(v, k);
    }
  };
  walk(activities);
  return found;
}

/** A Markdown link or image is allowed only when the bot built it towards its own address. */
function expectInert(activities: ReplyActivity[], ownBase: string): void {
  for (const text of strings(activities)) {
    for (const [whole, label, url] of text.matchAll(markdownLink)) {
      expect(url!.startsWith(ownBase), `link out of user text: ${whole}`).toBe(true);
      expect(label, whole).not.toMatch(/clic|img|gras/);
    }
    expect(text).not.toMatch(/!\[|<b>|<\/b>|\*\*gras\*\*/);
  }
}

describe('plain() : un texte saisi ne devient jamais lien, image, gras ou HTML', () => {
  it('propriété : aucune syntaxe Markdown ou HTML active ne sort de plain()', () => {
    const pieces = fc.constantFrom(
      '[',
      ']',
      '(',
      ')',
      '!',
      '*',
      '_',
      '`',
      '~',
      '#',
      '<',
      '>',
      '|',
      '\\',
      'http://x',
      ' ',
      '\n',
      'a',
      'é',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(pieces, fc.string({ maxLength: 5 })), { maxLength: 40 }), (parts) => {
        const out = plain(parts.join(''));
        expect(out).not.toMatch(/\[[^\]]*\]\(|!\(|[*_`~#<>|\\[\]\n]/);
      }),
      { numRuns: 500 },
    );
  });
});

describe('Règle : un nom de collectivité piégé est refusé à la saisie, ou affiché inerte', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('saisi dans le dialogue : refusé avec une explication', async () => {
    const person = new BotClient(server.url);
    await person.say('diagnostic complet');
    const refused = await person.say(piege);
    expect(refused.text).toContain('ne peut contenir que');
    expect(
      openRecords(server.dataDir).service.respondent(testRespondentId(person.userId)),
    ).resolves.toBeUndefined();
  });

  it('déjà en base (saisi avant la validation, ou modifié à la main) : aucune carte n’en fait un lien ou une image', async () => {
    const person = new BotClient(server.url);
    const { service } = openRecords(server.dataDir);
    const respondentId = testRespondentId(person.userId);
    const collectivite = await service.createCollectivite(respondentId, {
      name: piege,
      type: 'commune',
      traits: [],
    });
    const replies: ReplyActivity[] = [];
    const say = async (text: string) => {
      const reply = await person.say(text);
      replies.push(...reply.activities);
      return reply;
    };

    const pick = await say('diagnostic complet');
    const button = JSON.stringify(pick.activities).includes(collectivite.id);
    expect(button, 'the collectivité is offered').toBe(true);
    await person
      .submit({ action: 'choice', field: 'collectivite', value: collectivite.id })
      .then((r) => replies.push(...r.activities));
    let reply = await say('2');
    expect(reply.text).toContain('Indicateur 1 / 68');
    for (let n = 0; n < 14 && !reply.text.includes('Résultats'); n++)
      reply = await say(n % 2 ? 'non' : 'je ne sais pas');
    expect(reply.text).toContain('Avant les résultats');
    reply = await say('voir les résultats');
    expect(reply.text).toContain('Résultats');
    for (const command of [
      'résultats',
      'rapport',
      'évolution',
      'inviter',
      'désaccords',
      'menu',
      'reprendre',
      'convaincre mon élu',
    ]) {
      await say(command);
    }
    const all = strings(replies).join('\n');
    expect(all, 'the name is shown').toMatch(/clic/);
    expect(all.match(markdownLink)?.length, 'the bot’s own links are there to be checked').toBeGreaterThan(0);
    expectInert(replies, server.url);

    const diagnostic = (await service.activeDiagnostic(respondentId))!;
    const page = await fetch(`${server.url}/rapports/${diagnostic.reportId}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('clic');
    expect(html).not.toMatch(/<b>x<\/b>|href="http:\/\/x|src="http:\/\/x/);
  });
});

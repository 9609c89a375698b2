import { describe, expect, it } from 'vitest';
import type { Activity } from 'botbuilder';
import { recordKeys } from '../../src/domain/records/diagnostic.js';
import { cardChart } from '../../src/reports/cardChart.js';
import { cardProblems } from '../helpers/cards.js';
import { createTestBot } from '../helpers/testBot.js';

const colleague = { from: { id: 'user2', name: 'Collègue' } } as Partial<Activity>;
const teams = (tenant: string, user: string) =>
  ({
    channelId: 'msteams',
    from: { id: `29:${user}`, aadObjectId: user, name: user },
    conversation: { id: `a:${user}`, tenantId: tenant },
    channelData: { tenant: { id: tenant } },
  }) as unknown as Partial<Activity>;

async function fullDiagnosticOfEnjeu1(
  bot: ReturnType<typeof createTestBot>,
  answer: string,
  extra: Partial<Activity> = {},
  name = 'Testbourg',
) {
  await bot.say('diagnostic complet', extra);
  const first = await bot.say(name, extra);
  if (first.text.includes('Une autre collectivité')) {
    await bot.say('1', extra);
  } else {
    await bot.say('commune', extra);
    await bot.say('aucune', extra);
  }
  let reply = await bot.say('2', extra); // enjeu 1 only: 14 indicators
  for (let n = 0; n < 14 && !reply.text.includes('Résultats'); n++) reply = await bot.say(answer, extra);
  // the summary of the answers comes first: on to the results
  if (reply.text.includes('Avant les résultats')) reply = await bot.say('résultats', extra);
  return reply;
}

describe('Scénario : l’espace de la collectivité', () => {
  it('les résultats portent un graphique : l’image du rapport une fois fini ; en cours de route, un lien HTTPS de courte durée avec PUBLIC_URL, un PNG intégré en local ; la carte reste sous la limite de Teams', async () => {
    const bot = createTestBot();
    const partialCard = async () =>
      (await bot.say('résultats')).activities.find((a) => a.attachments?.length)!.attachments![0]!.content;
    await bot.say('diagnostic rapide');
    for (let n = 0; n < 5; n++) await bot.say('oui');
    // local mode (no PUBLIC_URL: the Emulator, the local web page)
    const local = await partialCard();
    expect(JSON.stringify(local)).toMatch(/"url":"data:image\/png;base64,[A-Za-z0-9+/=]{1000,}"/);
    expect(cardProblems(local)).toEqual([]);
    await bot.say('reprendre');

    // PUBLIC_URL set, as src/app.ts wires it: Teams clients get an HTTPS address, not a data URI
    bot.deps.chart = cardChart({ store: bot.service.store });
    const hosted = JSON.stringify(await partialCard());
    const link = /"url":"https:\/\/assistant\.example\.fr\/graphiques\/([A-Za-z0-9_-]{32})\.png"/.exec(
      hosted,
    );
    expect(link, hosted.slice(0, 300)).not.toBeNull();
    expect(hosted).not.toContain('data:image');
    const stored = await bot.service.store.read<{ expiresAt: string }>(recordKeys.chartLink(link![1]!));
    expect(Date.parse(stored!.value.expiresAt)).toBeGreaterThan(Date.now());
    await bot.say('reprendre');

    let reply;
    for (let n = 0; n < 8; n++) reply = await bot.say(n % 2 ? 'oui' : 'en partie');
    const card = reply!.activities.at(-1)!.attachments![0]!.content;
    expect(JSON.stringify(card)).toMatch(
      /"url":"https:\/\/assistant\.example\.fr\/rapports\/[A-Za-z0-9_-]{32}\/graphique-carte\.png"/,
    );
    expect(JSON.stringify(card)).not.toContain('data:image');
    expect(cardProblems(card)).toEqual([]);
    const links = await bot.say('rapport');
    expect(links.text).toMatch(/https:\/\/assistant\.example\.fr\/rapports\/[A-Za-z0-9_-]{32}\/rapport\.pdf/);
  });

  it('deux diagnostics à un an d’écart : « évolution » compare les enjeux et liste les indicateurs qui ont bougé', async () => {
    const bot = createTestBot();
    const first = await fullDiagnosticOfEnjeu1(bot, 'non');
    expect(first.text).toContain('Résultats');
    const old = await bot.service.activeDiagnostic('test:user1');
    await bot.service.updateDiagnostic(old!.id, (d) => ({
      ...d,
      createdAt: '2025-11-20T10:00:00.000Z',
      finishedAt: '2025-11-20T11:00:00.000Z',
    }));
    const second = await fullDiagnosticOfEnjeu1(bot, 'oui');
    expect(second.text).toContain('Résultats');
    const evolution = await bot.say('évolution');
    expect(evolution.text).toContain('20 novembre 2025');
    expect(evolution.text).toContain('0 % → 100 % (+100 points)');
    expect(evolution.text).toContain('Indicateurs qui ont changé (14)');
    expect(evolution.text).toContain('Indicateur 1 : Non → Oui (progrès)');
  });

  it('un collègue rejoint avec le code, répond de son côté, et « désaccords » liste les indicateurs à discuter', async () => {
    const bot = createTestBot();
    await bot.say('diagnostic complet');
    await bot.say('Haut-Test');
    await bot.say('intercommunalité');
    await bot.say('1');
    await bot.say('2');
    for (let n = 0; n < 5; n++) await bot.say('oui');
    await bot.say('pause');
    const invitation = await bot.say('inviter');
    const code = /\*\*([A-Z0-9-]+)\*\*/.exec(invitation.text)![1]!;
    expect(code).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{2}$/);

    const joined = await bot.say(`rejoindre ${code.toLowerCase().replace(/-/g, ' ')}`, colleague);
    expect(joined.text).toContain('Vous avez rejoint Haut-Test');
    const resumed = await bot.say('reprendre', colleague);
    expect(resumed.text).toContain('Indicateur 1 / 68');
    await bot.say('oui', colleague);
    await bot.say('non', colleague);
    await bot.say('non', colleague);

    const view = await bot.say('désaccords');
    expect(view.text).toContain('2 indicateurs où les réponses diffèrent');
    expect(view.text).toContain('Indicateur 2');
    expect(view.text).toContain('Répondant 1 : Oui · Répondant 2 : Non');
    expect(view.text).not.toContain('Indicateur 1 —');

    await bot.say('révoquer le code');
    const late = await bot.say(`rejoindre ${code}`, { from: { id: 'user3' } } as Partial<Activity>);
    expect(late.text).toContain('ne correspond à aucune collectivité');
  });

  it('une personne d’une autre organisation Teams ne peut pas rejoindre la collectivité, même avec le code', async () => {
    const bot = createTestBot();
    await fullDiagnosticOfEnjeu1(bot, 'oui', teams('tenant-A', 'alice'), 'Département du Test');
    const code = /\*\*([A-Z0-9-]+)\*\*/.exec(
      (await bot.say('inviter', teams('tenant-A', 'alice'))).text,
    )![1]!;
    const outsider = await bot.say(`rejoindre ${code}`, teams('tenant-B', 'bob'));
    expect(outsider.text).toContain('autre organisation');
    const web = await bot.say(`rejoindre ${code}`, colleague);
    expect(web.text).toContain('autre organisation');
    const sameTenant = await bot.say(`rejoindre ${code}`, teams('tenant-A', 'carole'));
    expect(sameTenant.text).toContain('Vous avez rejoint Département du Test');
  });
});

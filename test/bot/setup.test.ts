import { describe, expect, it } from 'vitest';
import { typeFromName } from '../../src/domain/collectivite/collectivite.js';
import { profileFromCollectivite } from '../../src/domain/elus/profile.js';
import type { ReplyActivity } from '../helpers/botClient.js';
import { buttonData, createTestBot } from '../helpers/testBot.js';

describe('Règle : le type de collectivité n’est pas demandé quand le nom le dit', () => {
  it.each([
    ['Communauté de communes de Lacq-Orthez', 'intercommunalite'],
    ["Communauté d'agglomération du Grand Dax", 'intercommunalite'],
    ['Métropole de Lyon', 'intercommunalite'],
    ['Ville de Tours', 'commune'],
    ['Commune de Saint-Pierre', 'commune'],
    ['Département de la Gironde', 'departement'],
    ['Conseil régional de Bretagne', 'region'],
    ['Saint-Pierre-des-Corps', undefined],
    ['Villeneuve-sur-Lot', undefined],
  ])('« %s » → %s', (name, type) => {
    expect(typeFromName(name)).toBe(type);
  });

  it('« Communauté de communes … » passe directement au territoire ; « retour » permet de choisir le type', async () => {
    const bot = createTestBot();
    await bot.say('diagnostic complet');
    const reply = await bot.say('Communauté de communes du Haut-Test');
    expect(reply.text).toContain(
      "Noté : Communauté de communes du Haut-Test, intercommunalité (d'après son nom",
    );
    expect(reply.text).not.toContain('Quel type de collectivité');
    const back = await bot.say('retour');
    expect(back.text).toContain('Quel type de collectivité');
    await bot.say('commune');
    await bot.say('aucune');
    expect((await bot.say('1')).text).toContain('Indicateur 1 / 68');
  });
});

describe('Petites choses qu’un utilisateur exigeant remarque', () => {
  it('« annuler » sans rien en cours le dit', async () => {
    const bot = createTestBot();
    expect((await bot.say('annuler')).text).toContain("Il n'y a rien en cours à annuler");
  });

  it('« Question précédente » n’est pas proposée à la première question', async () => {
    const bot = createTestBot();
    const first = await bot.say('diagnostic rapide');
    expect(first.text).not.toContain('Question précédente');
    expect((await bot.say('oui')).text).toContain('Question précédente');
  });

  it('« aide » cite chaque commande, en liste', async () => {
    const bot = createTestBot();
    const help = (await bot.say('aide')).text;
    for (const command of [
      'diagnostic rapide',
      'diagnostic complet',
      'convaincre mon élu',
      'reprendre',
      'code de reprise',
      'résultats',
      'détails',
      'évolution',
      'rapport',
      'retour',
      'passer',
      'pause',
      'annuler',
      'menu',
      'modifier la question',
      'inviter',
      'rejoindre',
      'désaccords',
      'révoquer le code',
      'mes données',
      'supprimer mes données',
    ])
      expect(help, command).toContain(`« ${command}`);
    expect(help).toMatch(/^- /m);
  });
});

describe('Règle : recommencer alors qu’un diagnostic est en cours demande d’abord', () => {
  it('« diagnostic rapide » avec 3 réponses en cours propose de reprendre ou d’en commencer un nouveau', async () => {
    const bot = createTestBot();
    await bot.say('diagnostic rapide');
    for (let n = 0; n < 3; n++) await bot.say('oui');
    const asked = await bot.say('diagnostic rapide');
    expect(asked.text).toContain('Vous avez un diagnostic rapide en cours (3 réponses sur 13)');
    const resumed = await bot.submit(buttonData(asked.activities, 'Reprendre'));
    expect(resumed.text).toContain('Question 4 / 13');

    const again = await bot.say('diagnostic rapide');
    const first = (await bot.service.activeDiagnostic('test:user1'))!.id;
    const fresh = await bot.submit(buttonData(again.activities, 'Commencer un nouveau'));
    expect(fresh.text).toContain('Question 1 / 13');
    const second = (await bot.service.activeDiagnostic('test:user1'))!;
    expect(second.id).not.toBe(first);
    expect(Object.keys((await bot.service.diagnostic(first))!.answers)).toHaveLength(3);
  });

  it('« nouveau diagnostic rapide » tapé commence sans demander ; un diagnostic fini ne demande rien', async () => {
    const bot = createTestBot();
    await bot.say('diagnostic rapide');
    await bot.say('oui');
    expect((await bot.say('nouveau diagnostic rapide')).text).toContain('Question 1 / 13');
    for (let n = 0; n < 13; n++) await bot.say('non');
    expect((await bot.say('diagnostic rapide')).text).toContain('Question 1 / 13');
  });
});

describe('Règle : un diagnostic rapide peut porter le nom de sa collectivité', () => {
  it('« nommer Commune de Lacq » titre les résultats et le rapport ; un nom qui ressemble à un lien est refusé', async () => {
    const bot = createTestBot();
    await bot.say('diagnostic rapide');
    let reply;
    for (let n = 0; n < 13; n++) reply = await bot.say('oui');
    expect(reply!.text).toContain('tapez « nommer » suivi de son nom');
    expect((await bot.say('nommer www.exemple.fr')).text).toContain("pas d'adresse web");
    expect((await bot.say('nommer Commune de Lacq')).text).toContain(
      'Noté : ce diagnostic rapide est celui de Commune de Lacq, et son rapport porte ce nom.',
    );
    const results = await bot.say('résultats');
    expect(results.text).toContain('Commune de Lacq');
    expect(results.text).not.toContain('tapez « nommer »');
    const diagnostic = (await bot.service.activeDiagnostic('test:user1'))!;
    expect(diagnostic.name).toBe('Commune de Lacq');
    const { buildReportData, reportHeading } = await import('../../src/reports/reportModel.js');
    const { referentials } = await import('../helpers/testBot.js');
    expect(reportHeading(buildReportData(referentials, diagnostic))).toBe('Commune de Lacq');
  });
});

/** The titles of the card buttons in the replies. */
function buttonTitles(activities: ReplyActivity[]): string[] {
  const titles: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (o.type === 'Action.Submit' && typeof o.title === 'string') titles.push(o.title);
    Object.values(o).forEach(walk);
  };
  walk(activities.map((a) => a.attachments?.map((x) => x.content)));
  return titles;
}

/** From the name typed to the first indicator; returns the stored collectivité. */
async function finishSetup(bot: ReturnType<typeof createTestBot>) {
  await bot.say('aucune');
  expect((await bot.say('1')).text).toContain('Indicateur 1 / 68');
  const respondent = await bot.service.respondent('test:user1');
  return (await bot.service.collectivite(respondent!.collectiviteIds.at(-1)!))!;
}

const habitants = '[\\d\\u00a0]+ habitants';

describe('Règle : la collectivité est reconnue dans le découpage officiel', () => {
  it('« Tulle » : reconnue (commune, Corrèze, population, code INSEE), le type n’est pas demandé, la fiche est enregistrée', async () => {
    const bot = createTestBot();
    await bot.say('diagnostic complet');
    const reply = await bot.say('Tulle');
    expect(reply.text).toMatch(
      new RegExp(`J'ai reconnu : Tulle \\(commune, Corrèze, ${habitants} — code INSEE 19272\\)\\.`),
    );
    expect(reply.text).toContain("tapez « ce n'est pas ça »");
    expect(reply.text).not.toContain('Quel type de collectivité');
    expect(reply.text).toContain('Votre territoire a-t-il');
    const collectivite = await finishSetup(bot);
    expect(collectivite).toMatchObject({
      name: 'Tulle',
      type: 'commune',
      traits: [],
      official: {
        kind: 'commune',
        code: '19272',
        siren: '211927207',
        departement: { code: '19', name: 'Corrèze' },
        region: { code: '75', name: 'Nouvelle-Aquitaine' },
        epci: { code: '241927201', name: 'CA Tulle Agglo' },
      },
    });
    expect(collectivite.official!.population).toBeGreaterThan(10_000);
  });

  it('« Communauté de communes de Lacq-Orthez » : l’intercommunalité, avec son SIREN', async () => {
    const bot = createTestBot();
    await bot.say('diagnostic complet');
    const reply = await bot.say('Communauté de communes de Lacq-Orthez');
    expect(reply.text).toMatch(
      new RegExp(
        `J'ai reconnu : CC de Lacq-Orthez \\(intercommunalité, Pyrénées-Atlantiques, \\d+ communes, ${habitants} — SIREN 200039204\\)`,
      ),
    );
    const collectivite = await finishSetup(bot);
    expect(collectivite).toMatchObject({
      name: 'CC de Lacq-Orthez',
      type: 'intercommunalite',
      official: { kind: 'epci', code: '200039204', nature: 'CC' },
    });
    // the élus argumentaire starts from the échelon the découpage gave
    expect(profileFromCollectivite(collectivite)).toEqual({ echelon: 'intercommunalite' });
  });

  it('« 19272 » (un code INSEE) : Tulle, et c’est son nom officiel qui est gardé', async () => {
    const bot = createTestBot();
    await bot.say('diagnostic complet');
    expect((await bot.say('19272')).text).toContain("J'ai reconnu : Tulle (commune, Corrèze");
    expect(await finishSetup(bot)).toMatchObject({ name: 'Tulle', official: { code: '19272' } });
  });

  it('« Saint-Denis » : une carte des homonymes (département, population), au plus 5 boutons, choisie en touchant', async () => {
    const bot = createTestBot();
    await bot.say('diagnostic complet');
    const card = await bot.say('Saint-Denis');
    expect(card.text).toContain(
      "Plusieurs collectivités s'appellent « Saint-Denis ». Laquelle est la vôtre ?",
    );
    expect(card.text).toMatch(
      new RegExp(`Saint-Denis \\(commune, Seine-Saint-Denis, ${habitants} — code INSEE 93066\\)`),
    );
    const buttons = buttonTitles(card.activities);
    expect(buttons.length).toBeLessThanOrEqual(5);
    expect(buttons).toEqual([
      'Saint-Denis (La Réunion)',
      'Saint-Denis (93)', // « Saint-Denis (Seine-Saint-Denis) » would be over Teams' 30 characters
      'Saint-Denis (Aude)',
      'Saint-Denis (Gard)',
      'Aucune de celles-ci',
    ]);
    const picked = await bot.submit(buttonData(card.activities, 'Saint-Denis (93)'));
    expect(picked.text).toContain("J'ai reconnu : Saint-Denis (commune, Seine-Saint-Denis");
    expect(await finishSetup(bot)).toMatchObject({
      name: 'Saint-Denis',
      official: { code: '93066', departement: { name: 'Seine-Saint-Denis' } },
    });
  });

  it('« Sainte-Marie » : les 4 plus peuplées ; on choisit en tapant le numéro, le département, ou le nom avec son département', async () => {
    const bot = createTestBot();
    await bot.say('diagnostic complet');
    const card = await bot.say('Sainte-Marie');
    expect(card.text).toMatch(/Voici les 4 plus peuplées sur \d+\./);
    expect(buttonTitles(card.activities)).toEqual([
      'Sainte-Marie (La Réunion)',
      'Sainte-Marie (Martinique)',
      'Sainte-Marie (Ille-et-Vilaine)',
      'Sainte-Marie (Doubs)',
      'Aucune de celles-ci',
    ]);
    expect((await bot.say('2')).text).toContain("J'ai reconnu : Sainte-Marie (commune, Martinique");

    await bot.say('retour');
    await bot.say('Sainte-Marie');
    expect((await bot.say('ille et vilaine')).text).toContain(
      "J'ai reconnu : Sainte-Marie (commune, Ille-et-Vilaine",
    );

    await bot.say('retour');
    await bot.say('Sainte-Marie');
    // not in the card (the Gers has a smaller one): typed with its département
    expect((await bot.say('Sainte-Marie 32')).text).toContain("J'ai reconnu : Sainte-Marie (commune, Gers");
    expect(await finishSetup(bot)).toMatchObject({ official: { code: '32388' } });
  });

  it('« Aucune de celles-ci » garde le nom tapé et continue comme avant (le type est demandé), sans fiche', async () => {
    const bot = createTestBot();
    await bot.say('diagnostic complet');
    await bot.say('Saint-Denis');
    const none = await bot.say('aucune');
    expect(none.text).toContain("D'accord : je garde le nom « Saint-Denis » tel que vous l'avez tapé.");
    expect(none.text).toContain('Quel type de collectivité est Saint-Denis ?');
    await bot.say('autre');
    const collectivite = await finishSetup(bot);
    expect(collectivite).toMatchObject({ name: 'Saint-Denis', type: 'autre' });
    expect(collectivite.official).toBeUndefined();
  });

  it('un nom introuvable (« Testbourg ») est gardé tel quel et le type est demandé, comme avant', async () => {
    const bot = createTestBot();
    await bot.say('diagnostic complet');
    const reply = await bot.say('Testbourg');
    expect(reply.text).not.toContain("J'ai reconnu");
    expect(reply.text).toContain('Quel type de collectivité est Testbourg ?');
    await bot.say('commune');
    const collectivite = await finishSetup(bot);
    expect(collectivite).toMatchObject({ name: 'Testbourg', type: 'commune' });
    expect(collectivite.official).toBeUndefined();
  });

  it('« ce n’est pas ça » après « Tulle » : les autres collectivités de ce nom, puis l’agglomération choisie', async () => {
    const bot = createTestBot();
    await bot.say('diagnostic complet');
    await bot.say('Tulle');
    const others = await bot.say('non, ce n’est pas ça');
    expect(others.text).toContain("D'accord, ce n'est pas Tulle.");
    expect(others.text).toContain('Est-ce l’une de celles-ci ?');
    expect(buttonTitles(others.activities)).toContain('CA Tulle Agglo');
    expect(buttonTitles(others.activities)).not.toContain('Tulle (Corrèze)');
    const picked = await bot.submit(buttonData(others.activities, 'CA Tulle Agglo'));
    expect(picked.text).toContain("J'ai reconnu : CA Tulle Agglo (intercommunalité, Corrèze");
    expect(await finishSetup(bot)).toMatchObject({
      name: 'CA Tulle Agglo',
      type: 'intercommunalite',
      official: { kind: 'epci', code: '241927201' },
    });
  });

  it('« ce n’est pas ça » puis « Aucune de celles-ci » : le nom tapé est gardé, sans fiche, et le type est demandé', async () => {
    const bot = createTestBot();
    await bot.say('diagnostic complet');
    await bot.say('Tulle');
    await bot.say("c'est pas ça");
    const none = await bot.say('aucune');
    expect(none.text).toContain("D'accord : je garde le nom « Tulle » tel que vous l'avez tapé.");
    expect(none.text).toContain('Quel type de collectivité est Tulle ?');
    await bot.say('commune');
    const collectivite = await finishSetup(bot);
    expect(collectivite).toMatchObject({ name: 'Tulle', type: 'commune' });
    expect(collectivite.official).toBeUndefined();
  });

  it('« retour » après une reconnaissance redemande le nom, et oublie la collectivité reconnue', async () => {
    const bot = createTestBot();
    await bot.say('diagnostic complet');
    await bot.say('Tulle');
    expect((await bot.say('retour')).text).toContain('Tapez son nom');
    await bot.say('Testbourg');
    await bot.say('commune');
    expect((await finishSetup(bot)).official).toBeUndefined();
  });

  it('une faute de frappe (« Bordaeux ») : une suggestion à toucher à côté de la question suivante', async () => {
    const bot = createTestBot();
    await bot.say('diagnostic complet');
    const reply = await bot.say('Bordaeux');
    expect(reply.text).toContain(
      "Je n'ai pas trouvé « Bordaeux » exactement parmi les collectivités. Vouliez-vous dire :",
    );
    expect(reply.text).toContain('Quel type de collectivité est Bordaeux ?');
    // described, not numbered: « 1 » typed next is the type question's « Commune »
    expect(reply.text).toMatch(
      /^- Bordeaux \(commune, Gironde, [\d\u00a0]+ habitants — code INSEE 33063\)$/m,
    );
    expect(reply.text).not.toContain('1. Bordeaux');
    const picked = await bot.submit(buttonData(reply.activities, 'Bordeaux (Gironde)'));
    expect(picked.text).toContain("J'ai reconnu : Bordeaux (commune, Gironde");
    expect(await finishSetup(bot)).toMatchObject({ name: 'Bordeaux', official: { code: '33063' } });
  });

  it('une suggestion ignorée : on répond au type, le nom tapé est gardé', async () => {
    const bot = createTestBot();
    await bot.say('diagnostic complet');
    await bot.say('Bordaeux');
    await bot.say('commune');
    const collectivite = await finishSetup(bot);
    expect(collectivite).toMatchObject({ name: 'Bordaeux', type: 'commune' });
    expect(collectivite.official).toBeUndefined();
  });
});

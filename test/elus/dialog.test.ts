import { describe, expect, it } from 'vitest';
import { elusExtension } from '../../dialogs/elusExtension.js';
import { indicatorsInScope } from '../../src/domain/scoring/scope.js';
import type { AnswerValue } from '../../src/domain/scoring/answers.js';
import type { ReplyActivity } from '../helpers/botClient.js';
import { buttonData, createTestBot, referentials } from '../helpers/testBot.js';
import { assistant, referential } from './helpers.js';

const me = 'test:user1';
const newBot = () => createTestBot({ extensions: (deps) => [elusExtension(deps, assistant)] });

/** The content of the argumentaire card among the replies, if any. */
function argumentaireOf(activities: ReplyActivity[]): Record<string, unknown> | undefined {
  return activities
    .flatMap((a) => a.attachments ?? [])
    .map((x) => x.content)
    .find((card) => JSON.stringify(card).includes('Trois actions concrètes'));
}

/** A finished quick self-check for a collectivité, "non" on the key indicators of `weak`, "oui" elsewhere. */
async function finishedDiagnostic(
  bot: ReturnType<typeof newBot>,
  weak: string[],
  type: 'commune' | 'intercommunalite' = 'commune',
) {
  const collectivite = await bot.service.createCollectivite(me, {
    name: 'Commune de Saint-Essai',
    type,
    traits: ['rural'],
  });
  const diagnostic = await bot.service.startDiagnostic(me, { kind: 'quick' }, collectivite.id);
  for (const ref of indicatorsInScope(referentials.maturity, { kind: 'quick' })) {
    const value: AnswerValue = weak.includes(ref.prerequis.id) ? 'non' : 'oui';
    await bot.service.answer(diagnostic.id, me, ref.indicateur.number, value);
  }
  await bot.service.finish(diagnostic.id);
}

describe('Scénario : le parcours guidé « convaincre mon élu »', () => {
  it('situation → frein → territoire → échelon → argumentaire, en touchant les boutons', async () => {
    const bot = newBot();
    let reply = await bot.say('convaincre mon élu');
    expect(reply.text).toContain('étape 1 sur 4');
    expect(reply.text).toContain('Où en êtes-vous avec vos élus ?');
    reply = await bot.submit(buttonData(reply.activities, 'Élus pas investis'));
    expect(reply.text).toContain('Quel est le principal frein');
    reply = await bot.submit(buttonData(reply.activities, 'Manque de temps'));
    reply = await bot.submit(buttonData(reply.activities, 'Territoire rural / ZRR'));
    reply = await bot.submit(buttonData(reply.activities, 'Commune'));
    const card = argumentaireOf(reply.activities);
    expect(card).toBeDefined();
    expect(reply.text).toContain('Situation : Les élus ne sont pas investis · Frein : Manque de temps');
    expect(reply.text).toContain("vecteur d'attractivité territoriale");
    expect(reply.text).toContain('Trois actions concrètes');
    expect(reply.text).toContain('Deux chiffres clés');
    expect(reply.text).toMatch(/Source : .+/);
  });

  it('chaque situation × chaque frein donne un argumentaire non vide et différent', async () => {
    const seen = new Set<string>();
    for (const situation of referential.data.situations) {
      for (const frein of referential.data.freins) {
        const bot = newBot();
        let reply = await bot.say('convaincre mon élu');
        reply = await bot.submit(buttonData(reply.activities, situation.button ?? situation.label));
        reply = await bot.submit(buttonData(reply.activities, frein.button ?? frein.label));
        reply = await bot.say('passer');
        reply = await bot.say('passer');
        const card = argumentaireOf(reply.activities);
        expect(card, `${situation.id} × ${frein.id}`).toBeDefined();
        expect(reply.text).toContain(frein.label.toLowerCase());
        seen.add(JSON.stringify(card));
      }
    }
    expect(seen.size).toBe(referential.data.situations.length * referential.data.freins.length);
  });

  it('on peut tout taper : libellé, numéro, synonyme, phrase libre ; « passer » saute une étape, « retour » revient', async () => {
    const bot = newBot();
    await bot.say('convaincre');
    let reply = await bot.say('les élus sont convaincus : aller plus loin');
    expect(reply.text).toContain('Quel est le principal frein');
    reply = await bot.say('retour');
    expect(reply.text).toContain('Où en êtes-vous avec vos élus ?');
    reply = await bot.say('1');
    expect(reply.text).toContain('Quel est le principal frein');
    reply = await bot.say('pas le temps');
    expect(reply.text).toContain('angle correspond');
    reply = await bot.say('quartiers prioritaires');
    expect(reply.text).toContain('À quel échelon');
    reply = await bot.say('interco');
    expect(reply.text).toContain(
      "Situation : Je n'ai pas de lien avec les élus · Frein : Manque de temps · Territoire : Quartiers prioritaires (QPV) · Échelon : Intercommunalité",
    );

    const other = newBot();
    await other.say('convaincre mon élu');
    await other.say('passer');
    reply = await other.say('ils ont jamais le temps, toujours débordés');
    expect(reply.text).toContain('angle correspond');
    await other.say('passer');
    reply = await other.say('5');
    expect(reply.text).toContain('Frein : Manque de temps');
    expect(reply.text).not.toContain('Situation :');
    expect(reply.text).not.toContain('Échelon :');
  });

  it('en chemin, une réponse à une autre étape est notée et une question est répondue, puis l’étape est reposée', async () => {
    const bot = newBot();
    await bot.say('convaincre mon élu');
    let reply = await bot.say('on est sur un territoire très rural');
    expect(reply.text).toContain('C’est noté : « Territoire rural / ZRR »');
    expect(reply.text).toContain('Où en êtes-vous avec vos élus ?');
    expect(reply.text).toContain('étape 1 sur 3');
    reply = await bot.say("c'est quoi le SDAASP ?");
    expect(reply.text).toContain("schéma départemental d'amélioration");
    expect(reply.text).toContain('Où en êtes-vous avec vos élus ?');
    await bot.say('3');
    await bot.say('passer');
    reply = await bot.say('passer');
    expect(reply.text).toContain(
      'Situation : Les élus sont convaincus : aller plus loin · Territoire : Territoire rural / ZRR',
    );
  });

  it('un choix non reconnu est expliqué et l’étape reposée ; « annuler » arrête', async () => {
    const bot = newBot();
    await bot.say('convaincre mon élu');
    let reply = await bot.say('euh');
    expect(reply.text).toContain('Je n’ai pas reconnu votre choix');
    expect(reply.text).toContain('Où en êtes-vous avec vos élus ?');
    reply = await bot.submit({ action: 'choice', field: 'elus_frein', value: 'inexistant' });
    expect(reply.text).toContain('ancienne carte');
    reply = await bot.say('annuler');
    expect(reply.text).toContain("C'est annulé");
  });
});

describe('Scénario : « un autre argument » et « version à copier »', () => {
  async function argumentaire() {
    const bot = newBot();
    await bot.say('convaincre mon élu');
    await bot.say('2');
    await bot.say('3');
    await bot.say('rural');
    const reply = await bot.say('commune');
    return { bot, reply };
  }

  it('le bouton, le numéro et un synonyme donnent chacun l’argument suivant', async () => {
    const { bot, reply } = await argumentaire();
    const first = JSON.stringify(argumentaireOf(reply.activities));
    const byButton = await bot.submit(buttonData(reply.activities, 'Un autre argument'));
    expect(byButton.text).toContain('argument 2 sur');
    expect(JSON.stringify(argumentaireOf(byButton.activities))).not.toBe(first);
    const byNumber = await bot.say('1');
    expect(byNumber.text).toContain('argument 3 sur');
    const bySynonym = await bot.say('encore');
    expect(bySynonym.text).toContain('argument 4 sur');
    const byTyping = await bot.say('un autre argument');
    expect(argumentaireOf(byTyping.activities)).toBeDefined();
  });

  it('« version à copier » donne un texte brut court à coller dans un e-mail, avec les sources des chiffres', async () => {
    const { bot, reply } = await argumentaire();
    const copy = await bot.submit(buttonData(reply.activities, 'Version à copier'));
    expect(copy.activities).toHaveLength(2);
    const mail = copy.activities[1] as ReplyActivity & { textFormat?: string };
    expect(mail.textFormat).toBe('plain');
    expect(mail.attachments ?? []).toHaveLength(0);
    expect(mail.text).toMatch(/^Objet : /);
    expect(mail.text).toContain('Bonjour,');
    expect(mail.text).toContain('Quelques repères :');
    expect(mail.text).toMatch(/\(.*(ANCT|France Stratégie|EY|CREDOC|France Numérique Ensemble|Guide).*\)/);
    expect(mail.text!.length).toBeLessThan(1600);
    expect((await bot.say('2')).text).toContain('Bonjour,');
    expect((await bot.say('mail')).text).toContain('Bonjour,');
  });

  it('« modifier » reprend les étapes', async () => {
    const { bot, reply } = await argumentaire();
    const again = await bot.submit(buttonData(reply.activities, 'Modifier mes réponses'));
    expect(again.text).toContain('étape 1 sur 4');
    const typed = await argumentaire();
    expect((await typed.bot.say('3')).text).toContain('étape 1 sur 4');
  });
});

describe('Scénario : depuis les résultats d’un diagnostic', () => {
  it('le bouton « Convaincre mon élu » reprend l’échelon et le territoire et s’appuie sur l’enjeu 1 faible (portage)', async () => {
    const bot = newBot();
    await finishedDiagnostic(bot, ['E1P1', 'E1P2', 'E1P3']);
    const results = await bot.say('résultats');
    let reply = await bot.submit(buttonData(results.activities, 'Convaincre mon élu'));
    expect(reply.text).toContain('Je reprends ce que dit votre diagnostic : Commune de Saint-Essai');
    expect(reply.text).toContain('étape 1 sur 2');
    reply = await bot.say('2');
    reply = await bot.say('passer');
    expect(reply.text).toContain('Territoire : Territoire rural / ZRR · Échelon : Commune');
    expect(reply.text).toContain('Votre diagnostic : un portage politique à renforcer');
    expect(reply.text).toContain('Enjeu 1 — Porter politiquement');
    expect(reply.text).toContain('Donner de la légitimité au projet');
    const copy = await bot.say('version à copier');
    expect(copy.text).toContain('Notre diagnostic de maturité');
  });

  it('sans budget dédié (prérequis 2.2), l’argumentaire donne les sources de cofinancement', async () => {
    const bot = newBot();
    await finishedDiagnostic(bot, ['E2P2'], 'intercommunalite');
    await bot.submit({ action: 'command', command: 'convaincre' });
    await bot.say('passer');
    const reply = await bot.say('passer');
    expect(reply.text).toContain('Échelon : Intercommunalité');
    expect(reply.text).toContain('Votre diagnostic : pas encore de budget dédié');
    expect(reply.text).toContain('Aides territoires');
    expect(reply.text).toContain('Guide de cofinancement');
  });
});

describe('Scénario : une question libre sur les élus', () => {
  it('est reconnue et reçoit le conseil du guide avec sa source, puis mène à l’argumentaire', async () => {
    const bot = newBot();
    let reply = await bot.say("mon maire me dit qu'il a pas le temps pour ça");
    expect(reply.text).toContain("Les élus n'ont pas le temps");
    expect(reply.text).toContain('Source : Guide pratique Conseillers numériques');
    // « mon maire »: the échelon is the commune, said in the answer and carried into the guided path
    expect(reply.text).toContain("Avec des élus de l'échelon « Commune »");
    reply = await bot.submit(buttonData(reply.activities, 'Construire mon argumentaire'));
    expect(reply.text).toContain('étape 1 sur 2');
    await bot.say('1');
    reply = await bot.say('passer');
    expect(reply.text).toContain('Frein : Manque de temps');
    expect(reply.text).toContain('Échelon : Commune');
  });

  it('« comment convaincre mon maire ? » ou « des arguments pour mon élu » ouvrent le parcours guidé', async () => {
    for (const text of [
      'comment convaincre mon maire ?',
      'des arguments pour mon élu svp',
      'je cherche des arguments pour le président de l’interco',
    ]) {
      const reply = await newBot().say(text);
      expect(reply.text, text).toContain('Où en êtes-vous avec vos élus ?');
    }
  });

  it('« c’est quoi le SDAASP ? » donne la définition ; taper 1 mène à l’argumentaire', async () => {
    const bot = newBot();
    const reply = await bot.say("c'est quoi le SDAASP ?");
    expect(reply.text).toContain(
      "schéma départemental d'amélioration de l'accessibilité des services au public",
    );
    expect((await bot.say('1')).text).toContain('étape 1 sur 4');
  });

  it('quand la correspondance est faible, trois sujets sont proposés en boutons ; un numéro ou un bouton les ouvre', async () => {
    const bot = newBot();
    let reply = await bot.say('les élus');
    const buttons = reply.activities
      .flatMap((a) => a.attachments ?? [])
      .flatMap((x) => JSON.stringify(x.content).match(/"field":"elus_topic"/g) ?? []);
    expect(reply.text).toContain("Je ne suis pas sûr d'avoir bien compris");
    expect(buttons).toHaveLength(3);
    const second = reply.text.match(/\n2\. ([^\n]+)/)?.[1];
    reply = await bot.say('2');
    expect(second && reply.text.includes(second)).toBe(true);
    expect(reply.text).toContain('Source :');
  });

  it('une autre question peut suivre une réponse, et un texte hors sujet n’obtient pas de réponse sur les élus', async () => {
    const bot = newBot();
    await bot.say("c'est quoi le SDAASP ?");
    let reply = await bot.say('et la SCORAN ?');
    expect(reply.text).toContain('stratégie de cohérence régionale');
    reply = await bot.say('quelle heure est-il');
    expect(reply.text).toContain("Je n'ai pas bien compris");
    reply = await bot.say('quelle heure est-il');
    expect(reply.text).toContain("Je n'ai pas bien compris");
    expect(argumentaireOf(reply.activities)).toBeUndefined();
  });
});

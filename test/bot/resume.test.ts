import { describe, expect, it } from 'vitest';
import { elusExtension } from '../../dialogs/elusExtension.js';
import {
  issueResumeCode,
  normalizeResumeCode,
  resumeCodeBits,
  useResumeCode,
} from '../../src/domain/identity/resumeCode.js';
import { assistant } from '../elus/helpers.js';
import { createTestBot } from '../helpers/testBot.js';

const web = (browser: string, conversation = `conv-${browser}`) =>
  ({ channelId: 'webchat', from: { id: browser }, conversation: { id: conversation } }) as never;
const teamsPersonal = {
  channelId: 'msteams',
  from: { id: '29:camille', aadObjectId: 'aad-camille', name: 'Camille' },
  conversation: { id: 'a:camille', conversationType: 'personal', tenantId: 'tenant-1' },
  channelData: { tenant: { id: 'tenant-1' } },
} as never;

const codeIn = (text: string) => /reprendre ([2-9A-Z]{5}-[2-9A-Z]{5}-[2-9A-Z]{5})/.exec(text)?.[1];

describe('Scénario : reprendre son diagnostic sur un autre appareil', () => {
  it('le code donné à la pause, tapé dans un autre navigateur, continue le même diagnostic, comme la même personne', async () => {
    const bot = createTestBot();
    await bot.say('diagnostic rapide', web('ordinateur-bureau'));
    for (let n = 0; n < 5; n++) await bot.say('oui', web('ordinateur-bureau'));
    const paused = await bot.say('pause', web('ordinateur-bureau'));
    const code = codeIn(paused.text)!;
    expect(code).toBeDefined();
    expect(paused.text).toContain('ne le partagez pas');

    const elsewhere = web('telephone', 'conv-telephone');
    expect((await bot.say('reprendre', elsewhere)).text).toContain("Vous n'avez pas de diagnostic en cours");
    const resumed = await bot.say(`reprendre ${code.toLowerCase().replace(/-/g, ' ')}`, elsewhere);
    expect(resumed.text).toContain('C’est bien votre code');
    expect(resumed.text).toContain('On reprend là où vous en étiez (6 / 13)');
    expect(resumed.text).toContain('Question 6 / 13');
    await bot.say('non', elsewhere);

    const diagnostic = (await bot.service.activeDiagnostic('web:ordinateur-bureau'))!;
    expect(diagnostic.respondents).toEqual(['web:ordinateur-bureau']);
    expect(Object.keys(diagnostic.byRespondent['web:ordinateur-bureau']!)).toHaveLength(6);
    expect(await bot.service.respondent('web:telephone')).toBeUndefined();

    // later, in a new conversation on the phone: still the same person
    expect((await bot.say('reprendre', web('telephone', 'conv-telephone-2'))).text).toContain(
      'Question 7 / 13',
    );
    // and back at the office, the answer given on the phone is there
    expect((await bot.say('reprendre', web('ordinateur-bureau'))).text).toContain('Question 7 / 13');
  });

  it('de Teams vers la page web : « code de reprise » dans Teams, « reprendre CODE » sur le web', async () => {
    const bot = createTestBot();
    await bot.say('diagnostic rapide', teamsPersonal);
    await bot.say('oui', teamsPersonal);
    const code = codeIn((await bot.say('code de reprise', teamsPersonal)).text)!;
    const resumed = await bot.say(`reprendre ${code}`, web('navigateur-maison'));
    expect(resumed.text).toContain('Question 2 / 13');
    await bot.say('en partie', web('navigateur-maison'));
    const diagnostic = (await bot.service.activeDiagnostic('msteams:tenant-1:aad-camille'))!;
    expect(Object.values(diagnostic.answers).map((a) => a.value)).toEqual(['oui', 'en_partie']);
  });

  it('« révoquer le code de reprise » coupe l’accès des appareils liés et le code ne marche plus', async () => {
    const bot = createTestBot();
    await bot.say('diagnostic rapide', web('a'));
    await bot.say('oui', web('a'));
    const code = codeIn((await bot.say('pause', web('a'))).text)!;
    await bot.say(`reprendre ${code}`, web('b'));
    expect((await bot.say('révoquer le code de reprise', web('a'))).text).toContain('est désactivé');
    expect((await bot.say('reprendre', web('b', 'conv-b-2'))).text).toContain(
      "Vous n'avez pas de diagnostic en cours",
    );
    expect((await bot.say(`reprendre ${code}`, web('c'))).text).toContain('ne correspond à aucun diagnostic');
    const fresh = codeIn((await bot.say('code de reprise', web('a'))).text)!;
    expect(fresh).not.toBe(code);
  });

  it('dans une conversation de groupe, le code n’est jamais affiché', async () => {
    const bot = createTestBot();
    const group = {
      channelId: 'msteams',
      from: { id: '29:alice', aadObjectId: 'aad-alice', name: 'Alice' },
      conversation: { id: '19:g@thread.v2', conversationType: 'groupChat', isGroup: true },
      channelData: { tenant: { id: 't' } },
    } as never;
    await bot.say('diagnostic rapide', group);
    await bot.say('oui', group);
    const paused = await bot.say('pause', group);
    expect(codeIn(paused.text)).toBeUndefined();
    expect(paused.text).toContain('conversation privée');
    expect(codeIn((await bot.say('code de reprise', group)).text)).toBeUndefined();
  });

  it('une phrase comme on l’écrit mène au code de reprise, pas aux sujets « élus »', async () => {
    const bot = createTestBot({ extensions: (deps) => [elusExtension(deps, assistant)] });
    for (const typed of [
      'je veux reprendre mon diagnostic commencé sur un autre ordinateur',
      'comment je continue sur mon téléphone le diagnostic que j’ai commencé au bureau ?',
      'Je voudrais retrouver mes réponses depuis Teams',
    ]) {
      const reply = await bot.say(typed, web('nouveau'));
      expect(reply.text, typed).toContain('code de reprise');
      expect(reply.text, typed).toContain('reprendre');
    }
  });

  it('les codes de reprise erronés sont ralentis comme les codes d’invitation', async () => {
    const bot = createTestBot();
    for (let n = 0; n < 6; n++) {
      expect((await bot.say(`reprendre AAAAA-BBBBB-CCCC${n + 2}`, web('devineur'))).text).toContain(
        'ne correspond à aucun diagnostic',
      );
    }
    expect((await bot.say('reprendre AAAAA-BBBBB-CCCCC', web('devineur'))).text).toMatch(
      /Trop de codes erronés d'affilée : par sécurité, réessayez dans \d+ secondes/,
    );
  });
});

describe('les codes de reprise', () => {
  it('sont imprévisibles (plus de 70 bits), se tapent comme on veut, expirent après 30 jours', async () => {
    expect(resumeCodeBits).toBeGreaterThan(70);
    expect(normalizeResumeCode(' 7kq2m xp9rt 4hwzc ')).toBe('7KQ2M-XP9RT-4HWZC');
    expect(normalizeResumeCode('7KQ2M-XP9RT-4HWZ')).toBeUndefined();
    expect(normalizeResumeCode('0KQ2M-XP9RT-4HWZC')).toBeUndefined();

    const bot = createTestBot();
    const issuedAt = new Date('2026-01-01T10:00:00Z');
    const { code } = await issueResumeCode(bot.service.store, 'web:x', issuedAt);
    expect(await issueResumeCode(bot.service.store, 'web:x', issuedAt)).toMatchObject({ code });
    const day29 = new Date('2026-01-30T10:00:00Z');
    expect(await useResumeCode(bot.service.store, code, 'web:y', day29)).toEqual({
      ok: true,
      respondentId: 'web:x',
    });
    const day31 = new Date('2026-02-01T10:00:00Z');
    expect(await useResumeCode(bot.service.store, code, 'web:z', day31)).toEqual({
      ok: false,
      reason: 'code-inconnu',
    });
    const renewed = await issueResumeCode(bot.service.store, 'web:x', day31);
    expect(renewed.code).not.toBe(code);
  });
});

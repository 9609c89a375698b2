import { MemoryStorage, type Activity, type StoreItems } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { failuresBeforeReset } from '../../src/bot/assistantBot.js';
import { createTestBot } from '../helpers/testBot.js';

const tenant = 'tenant-commune';
/** Alice or Bob writing in one Teams group chat (or channel) with the bot. */
const inGroup = (user: 'alice' | 'bob', conversationType = 'groupChat') =>
  ({
    channelId: 'msteams',
    from: { id: `29:${user}`, aadObjectId: `aad-${user}`, name: user === 'alice' ? 'Alice' : 'Bob' },
    conversation: { id: '19:groupe@thread.v2', conversationType, isGroup: true, tenantId: tenant },
    channelData: { tenant: { id: tenant } },
  }) as unknown as Partial<Activity>;

const respondent = (user: 'alice' | 'bob') => `msteams:${tenant}:aad-${user}`;

describe('Règle : dans une conversation de groupe Teams, chacun a ses propres réponses', () => {
  it.each(['groupChat', 'channel'])(
    '%s : Alice et Bob répondent en alternance, chacun à son diagnostic et à sa question',
    async (conversationType) => {
      const bot = createTestBot();
      const alice = inGroup('alice', conversationType);
      const bob = inGroup('bob', conversationType);

      expect((await bot.say('diagnostic rapide', alice)).text).toContain('Question 1 / 13');
      expect((await bot.say('oui', alice)).text).toContain('Question 2 / 13');
      // Bob has started nothing: his "non" is not an answer to Alice's question.
      const stray = await bot.say('non', bob);
      expect(stray.text).not.toContain('Question');
      expect((await bot.say('oui', alice)).text).toContain('Question 3 / 13');

      expect((await bot.say('diagnostic rapide', bob)).text).toContain('Question 1 / 13');
      for (let n = 0; n < 3; n++) {
        expect((await bot.say('non', bob)).text).toContain(`Question ${n + 2} / 13`);
        expect((await bot.say('en partie', alice)).text).toContain(`Question ${n + 4} / 13`);
      }

      const aliceDiagnostic = (await bot.service.activeDiagnostic(respondent('alice')))!;
      const bobDiagnostic = (await bot.service.activeDiagnostic(respondent('bob')))!;
      expect(aliceDiagnostic.id).not.toBe(bobDiagnostic.id);
      expect(Object.values(aliceDiagnostic.answers).map((a) => a.value)).toEqual([
        'oui',
        'oui',
        'en_partie',
        'en_partie',
        'en_partie',
      ]);
      expect(aliceDiagnostic.respondents).toEqual([respondent('alice')]);
      expect(Object.values(bobDiagnostic.answers).map((a) => a.value)).toEqual(['non', 'non', 'non']);
      expect(bobDiagnostic.respondents).toEqual([respondent('bob')]);
    },
  );

  it('« pause » de Bob n’arrête pas le diagnostic d’Alice', async () => {
    const bot = createTestBot();
    await bot.say('diagnostic rapide', inGroup('alice'));
    await bot.say('diagnostic rapide', inGroup('bob'));
    await bot.say('pause', inGroup('bob'));
    expect((await bot.say('non', inGroup('alice'))).text).toContain('Question 2 / 13');
  });
});

describe('Règle : sur le web, un autre identifiant dans une conversation connue n’écrit pas chez le premier', () => {
  it('un second utilisateur qui poste dans la conversation du premier a sa propre position, sans toucher aux réponses', async () => {
    const bot = createTestBot();
    const first = { channelId: 'webchat', from: { id: 'navigateur-1' }, conversation: { id: 'conv-web' } };
    const intruder = { channelId: 'webchat', from: { id: 'navigateur-2' }, conversation: { id: 'conv-web' } };
    await bot.say('diagnostic rapide', first as never);
    await bot.say('oui', first as never);

    const reply = await bot.say('non', intruder as never);
    expect(reply.text).not.toContain('Question');
    const resume = await bot.say('reprendre', intruder as never);
    expect(resume.text).toContain("Vous n'avez pas de diagnostic en cours");

    const diagnostic = (await bot.service.activeDiagnostic('web:navigateur-1'))!;
    expect(Object.values(diagnostic.answers).map((a) => a.value)).toEqual(['oui']);
    expect(diagnostic.respondents).toEqual(['web:navigateur-1']);
    expect((await bot.say('oui', first as never)).text).toContain('Question 3 / 13');
  });

  it('le service refuse une réponse de quelqu’un qui n’a ni commencé ni rejoint le diagnostic', async () => {
    const bot = createTestBot();
    const diagnostic = await bot.service.startDiagnostic('web:proprietaire', { kind: 'quick' });
    await expect(bot.service.answer(diagnostic.id, 'web:autre', 1, 'non')).rejects.toThrow(/may not answer/);
    await expect(bot.service.skip(diagnostic.id, 'web:autre', 1)).rejects.toThrow(/may not answer/);
    expect((await bot.service.diagnostic(diagnostic.id))!.answers).toEqual({});
  });
});

/**
 * The real MemoryStorage, watched: `written` lists the keys each write stores, and `failNextDiagnosticWrite` makes
 * the next write of a diagnostic fail once, like a full disk.
 */
class WatchedStorage extends MemoryStorage {
  written: string[] = [];
  failNextDiagnosticWrite = false;

  override async write(changes: StoreItems): Promise<void> {
    if (this.failNextDiagnosticWrite && Object.keys(changes).some((key) => key.startsWith('diagnostic/'))) {
      this.failNextDiagnosticWrite = false;
      throw new Error('ENOSPC: no space left on device');
    }
    this.written.push(...Object.keys(changes));
    return super.write(changes);
  }
}

describe('Règle : après un tour en échec, réessayer fonctionne', () => {
  it('la réponse refusée par une panne est acceptée au nouvel essai, à la même question', async () => {
    const storage = new WatchedStorage();
    const bot = createTestBot({ storage });
    await bot.say('diagnostic rapide');
    await bot.say('oui');
    storage.failNextDiagnosticWrite = true;
    const failed = await bot.say('non');
    expect(failed.text).toContain('problème technique');
    expect(failed.text).toContain('réessayez');

    const retried = await bot.say('non');
    expect(retried.text).toContain('Question 3 / 13');
    const diagnostic = (await bot.service.activeDiagnostic('test:user1'))!;
    expect(Object.values(diagnostic.answers).map((a) => a.value)).toEqual(['oui', 'non']);
  });

  it(`après ${failuresBeforeReset} échecs de suite, la position est oubliée (personne ne reste bloqué) et « reprendre » retrouve la question`, async () => {
    const storage = new WatchedStorage();
    const bot = createTestBot({ storage });
    await bot.say('diagnostic rapide');
    await bot.say('oui');
    for (let n = 0; n < failuresBeforeReset; n++) {
      storage.failNextDiagnosticWrite = true;
      expect((await bot.say('non')).text).toContain('problème technique');
    }
    expect((await bot.say('non')).text).not.toContain('Question');
    expect((await bot.say('reprendre')).text).toContain('Question 2 / 13');
  });
});

describe('Règle : une réponse ordinaire n’écrit que le diagnostic', () => {
  it('la position dans le dialogue se déduit du diagnostic : pas de deuxième écriture à chaque réponse', async () => {
    const storage = new WatchedStorage();
    const bot = createTestBot({ storage });
    await bot.say('diagnostic rapide');
    for (let n = 2; n <= 4; n++) {
      storage.written = [];
      expect((await bot.say('oui')).text).toContain(`Question ${n} / 13`);
      expect(storage.written).toHaveLength(1);
      expect(storage.written[0]).toMatch(/^diagnostic\//);
    }
    // going back is a position that cannot be derived: it is stored, and the answer after it too
    storage.written = [];
    await bot.say('retour');
    expect(storage.written.some((key) => key.includes('/conversations/'))).toBe(true);
  });
});

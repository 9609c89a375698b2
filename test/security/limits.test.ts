import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { createHttpServer } from '../../src/server/http.js';
import { activityLimits, checkActivity, nestingDepth } from '../../src/server/limits.js';
import { BotClient } from '../helpers/botClient.js';
import { startServer, type RunningServer } from '../helpers/server.js';
import { openRecords, testRespondentId } from '../reliability/records.js';

const wellFormed = () => ({
  type: 'message',
  id: randomUUID(),
  channelId: 'test',
  serviceUrl: 'http://127.0.0.1:9/',
  deliveryMode: 'expectReplies',
  conversation: { id: `conv-${randomUUID()}` },
  from: { id: `user-${randomUUID()}`, name: 'Testeur' },
  recipient: { id: 'assistant', name: 'Assistant' },
  locale: 'fr-FR',
  text: 'menu',
});

/** No stack trace, no English from a library, no internal message: what a client may read in an error. */
function expectFrenchErrorBody(body: string): void {
  const json = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
  expect(typeof json.error?.message).toBe('string');
  expect(json.error!.message).toMatch(/[éèàêç]|Requête|Activité|Message/);
  expect(body).not.toMatch(/\bat .+:\d+|Error:|undefined|validateAndFixActivity|req\.body|stack/);
}

describe('checkActivity : ce que /api/messages accepte avant le Bot Framework', () => {
  it('accepte les activités des vrais canaux (message, carte, conversationUpdate, Teams)', () => {
    expect(checkActivity(wellFormed())).toBeUndefined();
    expect(
      checkActivity({ ...wellFormed(), text: '', value: { action: 'answer', indicator: 1, value: 'oui' } }),
    ).toBeUndefined();
    expect(
      checkActivity({ ...wellFormed(), type: 'invoke', name: 'healthCheck', text: undefined }),
    ).toBeUndefined();
    expect(
      checkActivity({ ...wellFormed(), type: 'invoke', name: 'task/fetch', value: { data: {} } }),
    ).toBeUndefined();
    expect(
      checkActivity({
        ...wellFormed(),
        type: 'conversationUpdate',
        text: undefined,
        membersAdded: [{ id: 'u1' }, { id: 'assistant' }],
      }),
    ).toBeUndefined();
    expect(
      checkActivity({
        ...wellFormed(),
        channelId: 'msteams',
        text: '<at>Assistant</at> diagnostic rapide',
        entities: [
          { type: 'mention', text: '<at>Assistant</at>', mentioned: { id: 'assistant', name: 'Assistant' } },
        ],
        attachments: [{ contentType: 'text/html', content: '<div>diagnostic rapide</div>' }],
        channelData: { tenant: { id: 't1' }, teamsChannelId: '19:abc@thread.tacv2' },
        from: { id: '29:1abc', name: 'Agent', aadObjectId: 'aad-1' },
      }),
    ).toBeUndefined();
  });

  it('refuse en 400 ce que botbuilder ne sait pas traiter, en 413 ce qui est trop gros', () => {
    const base = wellFormed();
    const cases: [unknown, number][] = [
      [null, 400],
      [[base], 400],
      ['message', 400],
      [{ ...base, type: undefined }, 400],
      [{ ...base, type: 5 }, 400],
      [{ ...base, conversation: undefined }, 400],
      [{ ...base, conversation: { id: 42 } }, 400],
      [{ ...base, recipient: undefined }, 400],
      [{ ...base, from: { name: 'sans id' } }, 400],
      [{ ...base, serviceUrl: undefined }, 400],
      [{ ...base, text: { a: 1 } }, 400],
      [{ ...base, text: 12 }, 400],
      [{ ...base, entities: 'x' }, 400],
      [{ ...base, entities: [{ type: 'mention', mentioned: null }] }, 400],
      [{ ...base, entities: [{ mentioned: { id: 'x' } }] }, 400],
      [{ ...base, membersAdded: [null, 5] }, 400],
      [{ ...base, channelData: 'x' }, 400],
      [{ ...base, locale: { x: 1 } }, 400],
      [{ ...base, serviceUrl: 'not a url' }, 400],
      [{ ...base, serviceUrl: 'file:///etc/passwd' }, 400],
      [{ ...base, conversation: { id: 'c', tenantId: { id: 't' } } }, 400],
      [{ ...base, from: { id: 'u', isGroup: 'yes' } }, 400],
      [{ ...base, type: 'invoke', name: 'fileConsent/invoke' }, 400],
      [{ ...base, type: 'invoke', name: 'adaptiveCard/action', value: {} }, 400],
      [{ ...base, value: JSON.parse('['.repeat(40) + ']'.repeat(40)) as unknown }, 400],
      [{ ...base, text: 'x'.repeat(activityLimits.maxTextChars + 1) }, 413],
      [{ ...base, value: { action: 'choice', value: 'x'.repeat(activityLimits.maxValueBytes) } }, 413],
      [{ ...base, attachments: Array.from({ length: activityLimits.maxAttachments + 1 }, () => ({})) }, 413],
      [
        { ...base, entities: Array.from({ length: activityLimits.maxEntities + 1 }, () => ({ type: 'x' })) },
        413,
      ],
    ];
    for (const [body, status] of cases) {
      const refusal = checkActivity(body);
      expect(refusal?.status, JSON.stringify(body)?.slice(0, 120)).toBe(status);
      expect(refusal!.message).toMatch(/^(Activité invalide|Message trop volumineux) : /);
    }
  });

  it('mesure la profondeur sans récursion, même à 100 000 niveaux', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(nestingDepth(deep, 40)).toBe(41);
    expect(nestingDepth({ a: [{ b: 1 }] })).toBe(3);
  });

  it('propriété : toute activité bien formée passe, et ajouter un champ trop long la fait refuser', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 500 }),
        fc.option(
          fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 }),
          { nil: undefined },
        ),
        fc.constantFrom('message', 'conversationUpdate', 'event'),
        (text, value, type) => {
          const activity = { ...wellFormed(), type, text, ...(value !== undefined ? { value } : {}) };
          if (JSON.stringify(value ?? null).length > activityLimits.maxValueBytes) return;
          expect(checkActivity(activity)).toBeUndefined();
          expect(
            checkActivity({ ...activity, text: text.padEnd(activityLimits.maxTextChars + 1, 'é') })?.status,
          ).toBe(413);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('http.ts : une erreur inattendue dans une route ne laisse sortir ni message interne ni trace', () => {
  it('une route qui lève une Error ordinaire répond 500 avec un JSON en français', async () => {
    const server = createHttpServer(createLogger('silent'));
    server.get('/boom', async () => {
      throw new Error('secret interne: /srv/app/db.json at foo.js:12');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/boom`);
      expect(response.status).toBe(500);
      const body = await response.text();
      expect(body).not.toContain('secret interne');
      expect(JSON.parse(body)).toEqual({
        error: { code: 500, message: 'Erreur interne du serveur. Réessayez dans un instant.' },
      });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('Les limites sur le vrai serveur', () => {
  let server: RunningServer;
  const post = (body: string, contentType = 'application/json') =>
    fetch(`${server.url}/api/messages`, { method: 'POST', headers: { 'content-type': contentType }, body });
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('corps de plus de 256 Ko : 413 en français ; JSON mal formé : 400 en français ; rien ne fuit', async () => {
    const huge = await post(JSON.stringify({ ...wellFormed(), text: 'x'.repeat(300 * 1024) }));
    expect(huge.status).toBe(413);
    expectFrenchErrorBody(await huge.text());

    for (const malformed of ['{"type": "message", ', '{"a":1}}', '\u0000', 'null', '[]', '"texte"', '']) {
      const response = await post(malformed);
      expect(response.status, malformed).toBe(400);
      expectFrenchErrorBody(await response.text());
    }
  });

  it('activités incomplètes ou piégées : 400/413 en français, jamais 500, et le serveur tient', async () => {
    const base = wellFormed();
    const bodies: [unknown, number][] = [
      [{ ...base, type: undefined }, 400],
      [{ ...base, conversation: undefined }, 400],
      [{ ...base, recipient: undefined }, 400],
      [{ ...base, text: { a: 1 } }, 400],
      [{ ...base, entities: [{ type: 'mention', mentioned: null }] }, 400],
      [{ ...base, text: 'x'.repeat(activityLimits.maxTextChars + 1) }, 413],
      [{ ...base, text: '', value: { action: 'answer', pad: 'x'.repeat(20_000) } }, 413],
      [{ ...base, attachments: Array.from({ length: 11 }, () => ({ contentType: 'image/png' })) }, 413],
      [{ ...base, text: '', value: JSON.parse('{"a":'.repeat(100) + '1' + '}'.repeat(100)) as unknown }, 400],
    ];
    for (const [body, status] of bodies) {
      const response = await post(JSON.stringify(body));
      expect(response.status, JSON.stringify(body).slice(0, 100)).toBe(status);
      expectFrenchErrorBody(await response.text());
    }
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('un message de plus de 2 000 caractères : explication en français, rien d’enregistré', async () => {
    const person = new BotClient(server.url);
    await person.say('diagnostic rapide');
    const long = await person.say(`oui ${'très '.repeat(1000)}`);
    expect(long.status).toBe(200);
    expect(long.text).toContain('trop long');
    const diagnostic = await openRecords(server.dataDir).service.activeDiagnostic(
      testRespondentId(person.userId),
    );
    expect(diagnostic!.answers).toEqual({});
    expect((await person.say('oui')).text).toContain('Question 2 / 13');
  });

  it('quantités négatives ou démesurées refusées en français, rien d’enregistré ; nom de collectivité contrôlé', async () => {
    const person = new BotClient(server.url);
    await person.say('diagnostic complet');
    const refusedName = await person.say('x');
    expect(refusedName.text).toContain('au moins 2 caractères');
    expect((await person.say('Ville <script>alert(1)</script>')).text).toContain('ne peut contenir que');
    expect((await person.say('y'.repeat(121))).text).toContain('ne doit pas dépasser 120 caractères');
    await person.say('Testbourg');
    await person.say('commune');
    await person.say('aucune');
    let reply = await person.say('1');
    for (let n = 1; n < 21; n++) reply = await person.say('non');
    expect(reply.text).toContain('Indicateur 21 / 68');
    reply = await person.say('oui');
    expect((await person.say('-5 000 €')).text).toContain('ne peut pas être négatif');
    expect((await person.say('10000000000000 €')).text).toContain('trop grand');
    const diagnostic = await openRecords(server.dataDir).service.activeDiagnostic(
      testRespondentId(person.userId),
    );
    expect(diagnostic!.answers[21]!.quantities).toBeUndefined();
  });
});

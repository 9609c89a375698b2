import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readable, type ReplyActivity } from '../helpers/botClient.js';
import { startServer, type RunningServer } from '../helpers/server.js';

/** Activities shaped as Microsoft Teams sends them, POSTed to /api/messages with deliveryMode "expectReplies". */
const botAccount = { id: '28:0b5a1e6f-7c53-4e0b-9a4e-2d7f1c3b9a10', name: 'Assistant' };
const tenantId = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const team = { id: '19:equipe-inclusion@thread.tacv2', name: 'Inclusion numérique' };
const mention = {
  type: 'mention',
  text: '<at>Assistant</at>',
  mentioned: { id: botAccount.id, name: botAccount.name },
};

let server: RunningServer;

beforeAll(async () => {
  server = await startServer();
}, 180_000);

afterAll(async () => {
  await server?.stop();
});

interface Where {
  conversation: Record<string, unknown>;
  channelData: Record<string, unknown>;
}

function personalChat(): Where {
  return {
    conversation: { id: `a:1${randomUUID()}`, conversationType: 'personal', tenantId },
    channelData: { tenant: { id: tenantId } },
  };
}

/** A post in a team's channel: each new post is its own conversation (`;messageid=`). */
function channelThread(channelId = `19:${randomUUID()}@thread.tacv2`): Where {
  return {
    conversation: {
      id: `${channelId};messageid=${Date.now()}${Math.floor(Math.random() * 1000)}`,
      conversationType: 'channel',
      isGroup: true,
      tenantId,
    },
    channelData: { tenant: { id: tenantId }, team, channel: { id: channelId, name: 'Général' } },
  };
}

function groupChat(): Where {
  return {
    conversation: {
      id: `19:${randomUUID()}@thread.v2`,
      conversationType: 'groupChat',
      isGroup: true,
      tenantId,
    },
    channelData: { tenant: { id: tenantId } },
  };
}

function person() {
  const aadObjectId = randomUUID();
  return { id: `29:1${aadObjectId.replaceAll('-', '')}`, name: 'Camille Martin', aadObjectId };
}

async function send(
  where: Where,
  from: ReturnType<typeof person>,
  activity: Record<string, unknown>,
): Promise<{ activities: ReplyActivity[]; text: string }> {
  const response = await fetch(`${server.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      type: 'message',
      id: `${Date.now()}`,
      channelId: 'msteams',
      serviceUrl: 'https://smba.trafficmanager.net/emea/',
      deliveryMode: 'expectReplies',
      timestamp: new Date().toISOString(),
      localTimestamp: new Date().toISOString(),
      locale: 'fr-FR',
      textFormat: 'plain',
      from,
      recipient: botAccount,
      ...where,
      ...activity,
    }),
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { activities?: ReplyActivity[] };
  const activities = body.activities ?? [];
  return { activities, text: readable(activities) };
}

const mentioning = (text: string) => ({ text: `<at>Assistant</at> ${text}`, entities: [mention] });

/** The `data` of the card button titled `title` in the last card of a reply: what Teams sends back on a click. */
function submitData(activities: ReplyActivity[], title: string): Record<string, unknown> {
  const found: Record<string, unknown>[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'Action.Submit' && o.title === title && o.data)
        found.push(o.data as Record<string, unknown>);
      Object.values(o).forEach(walk);
    }
  };
  walk(activities.map((a) => a.attachments?.map((x) => x.content)));
  const data = found.at(-1);
  if (!data) throw new Error(`no "${title}" button in the reply`);
  return data;
}

/** Cards Teams can show: Adaptive Cards up to 1.5, Action.Submit rather than Action.Execute. */
function expectTeamsCards(activities: ReplyActivity[]): void {
  for (const attachment of activities.flatMap((a) => a.attachments ?? [])) {
    if (attachment.contentType !== 'application/vnd.microsoft.card.adaptive') continue;
    expect(Number(attachment.content.version)).toBeLessThanOrEqual(1.5);
    expect(JSON.stringify(attachment.content)).not.toContain('Action.Execute');
  }
}

describe('Teams : les activités au format Teams sont comprises comme partout ailleurs', () => {
  it('installée en conversation personnelle, l’application envoie le menu', async () => {
    const reply = await send(personalChat(), person(), {
      type: 'conversationUpdate',
      text: undefined,
      membersAdded: [{ id: botAccount.id }],
    });
    expect(reply.text).toContain('Diagnostic rapide (3 min)');
    expectTeamsCards(reply.activities);
  });

  it('dans un canal, la mention @Assistant est retirée avant de comprendre le texte', async () => {
    const reply = await send(channelThread(), person(), mentioning('diagnostic rapide'));
    expect(reply.text).toContain('Question 1 / 13');
    expectTeamsCards(reply.activities);
  });

  it('en conversation de groupe, on répond en tapant après la mention', async () => {
    const where = groupChat();
    const camille = person();
    await send(where, camille, mentioning('diagnostic rapide'));
    const reply = await send(where, camille, mentioning('en partie'));
    expect(reply.text).toContain('Question 2 / 13');
  });

  it('un clic sur un bouton de carte arrive avec un texte vide et la valeur : il est routé comme une réponse tapée', async () => {
    const where = personalChat();
    const camille = person();
    let reply = await send(where, camille, { text: 'diagnostic rapide' });
    for (let n = 1; n <= 13; n++) {
      expect(reply.text).toContain(`Question ${n} / 13`);
      reply = await send(where, camille, { text: '', value: submitData(reply.activities, 'Oui') });
      expectTeamsCards(reply.activities);
    }
    expect(reply.text).toContain('Maturité');
  });

  it('le bouton du menu, cliqué dans un canal (sans mention ni texte), lance le diagnostic rapide', async () => {
    const where = channelThread();
    const camille = person();
    const menu = await send(where, camille, mentioning('menu'));
    const reply = await send(where, camille, {
      text: '',
      value: submitData(menu.activities, 'Diagnostic rapide (3 min)'),
    });
    expect(reply.text).toContain('Question 1 / 13');
  });

  it('« reprendre » dans un nouveau fil du même canal continue là où la personne s’était arrêtée', async () => {
    const channel = `19:${randomUUID()}@thread.tacv2`;
    const camille = person();
    const first = channelThread(channel);
    await send(first, camille, mentioning('diagnostic rapide'));
    for (const answer of ['oui', 'non', 'oui']) await send(first, camille, mentioning(answer));

    const reply = await send(channelThread(channel), camille, mentioning('reprendre'));
    expect(reply.text).toContain('Question 4 / 13');
  });
});

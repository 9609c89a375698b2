import { MemoryStorage, TestAdapter, type Activity, type Storage } from 'botbuilder';
import { RouterDialog, type RouterExtension } from '../../dialogs/routerDialog.js';
import type { DialogDeps } from '../../dialogs/deps.js';
import { AssistantBot } from '../../src/bot/assistantBot.js';
import { turnErrorHandler } from '../../src/bot/adapter.js';
import { DiagnosticService } from '../../src/domain/diagnostics/service.js';
import { loadReferentials } from '../../src/domain/referential/load.js';
import { createLogger } from '../../src/log.js';
import { referentialDir } from '../../src/paths.js';
import { StorageRecordStore } from '../../src/storage/storageRecordStore.js';
import { cardChart } from '../../src/reports/cardChart.js';
import { workspaceExtension } from '../../dialogs/workspaceExtension.js';
import { resumeExtension } from '../../dialogs/resumeExtension.js';
import { privacyExtension } from '../../dialogs/privacyExtension.js';
import { readable, type ReplyActivity } from './botClient.js';

export const referentials = loadReferentials(referentialDir);

/** The real bot and dialogs on botbuilder's TestAdapter, with a real (memory by default) Storage. */
export function createTestBot(
  options: { storage?: Storage; extensions?: (deps: DialogDeps) => RouterExtension[] } = {},
) {
  const storage = options.storage ?? new MemoryStorage();
  const service = new DiagnosticService(new StorageRecordStore(storage));
  const deps: DialogDeps = {
    referentials,
    service,
    logger: createLogger('silent'),
    publicUrl: () => 'https://assistant.example.fr',
    chart: cardChart(),
  };
  const bot = new AssistantBot(
    storage,
    new RouterDialog(deps, [
      workspaceExtension(deps),
      resumeExtension(deps),
      privacyExtension(deps),
      ...(options.extensions?.(deps) ?? []),
    ]),
  );
  const adapter = new TestAdapter(async (context) => bot.run(context));
  adapter.locale = 'fr-FR';
  adapter.onTurnError = turnErrorHandler(deps.logger);

  async function send(activity: Partial<Activity>) {
    adapter.activeQueue.splice(0);
    await adapter.receiveActivity({ type: 'message', ...activity });
    const activities = adapter.activeQueue.splice(0) as unknown as ReplyActivity[];
    return { activities, text: readable(activities) };
  }
  return {
    adapter,
    service,
    deps,
    storage,
    send,
    say: (text: string, extra: Partial<Activity> = {}) => send({ text, ...extra }),
    submit: (value: Record<string, unknown>, extra: Partial<Activity> = {}) =>
      send({ text: '', value, ...extra }),
  };
}

/** The data object of the card button titled `title` in the last replies. */
export function buttonData(activities: ReplyActivity[], title: string): Record<string, unknown> {
  let found: Record<string, unknown> | undefined;
  const walk = (node: unknown): void => {
    if (found || !node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    const o = node as Record<string, unknown>;
    if (o.type === 'Action.Submit' && o.title === title) found = o.data as Record<string, unknown>;
    else Object.values(o).forEach(walk);
  };
  walk(activities.map((a) => a.attachments?.map((x) => x.content)));
  if (!found) throw new Error(`no button "${title}" in the replies`);
  return found;
}

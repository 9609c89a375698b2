import { createRequire } from 'node:module';
import { JSDOM } from 'jsdom';

const require = createRequire(import.meta.url);
const dom = new JSDOM('');
Object.assign(globalThis, { window: dom.window, document: dom.window.document });
// The package's ESM build has extension-less imports Node cannot resolve: use its UMD bundle.
const AC = require('adaptivecards/dist/adaptivecards.js') as typeof import('adaptivecards');

/** Teams' limit for a message with a card. */
export const teamsCardLimitBytes = 28 * 1024;

/**
 * Problems with a card as Teams and Web Chat will see it: what the official `adaptivecards` parser reports, a schema
 * above 1.5, any action other than Action.Submit (and Action.ShowCard, which opens a part of the same card in place:
 * Teams, Web Chat and the Emulator render it), a submit without a data object, a card over Teams' size limit.
 */
export function cardProblems(card: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  parsed.parse(card, context);
  for (let i = 0; i < context.eventCount; i++) problems.push(`parser: ${context.getEventAt(i).message}`);
  const version = Number(card.version);
  if (!(version <= 1.5)) problems.push(`version ${String(card.version)} > 1.5`);
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (typeof o.type === 'string' && o.type.startsWith('Action.')) {
      if (o.type === 'Action.ShowCard') {
        if (!o.card || typeof o.card !== 'object')
          problems.push(`Action.ShowCard "${String(o.title)}" without card`);
      } else if (o.type !== 'Action.Submit') problems.push(`action ${o.type}`);
      else if (!o.data || typeof o.data !== 'object')
        problems.push(`Action.Submit "${String(o.title)}" without data`);
    }
    if (typeof o.text === 'string' && o.text.includes('${')) problems.push(`unexpanded template: ${o.text}`);
    Object.values(o).forEach(walk);
  };
  walk(card);
  const size = Buffer.byteLength(JSON.stringify(card));
  if (size > teamsCardLimitBytes) problems.push(`${size} bytes > Teams limit`);
  return problems;
}

import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { territoryTraits, type TerritoryTrait } from '../src/domain/collectivite/collectivite.js';
import { commands, parseCommand, type Command } from '../src/domain/language/commands.js';
import { answerValues, type AnswerValue } from '../src/domain/scoring/answers.js';

/** Longest message understood; longer ones are refused with an explanation, nothing else happens. */
export const maxTextLength = 2000;

const indicator = z.coerce.number().int().min(1).max(10_000);
const shortString = z.string().max(200);

const cardValueSchema = z.discriminatedUnion('action', [
  z.looseObject({
    action: z.literal('command'),
    command: z.enum(commands),
    argument: z.string().max(40).optional(),
    indicator: indicator.optional(),
    quantityId: z.string().max(80).optional(),
  }),
  z.looseObject({ action: z.literal('answer'), indicator, value: z.enum(answerValues) }),
  z.looseObject({
    action: z.literal('quantity'),
    indicator,
    quantityId: z.string().max(80),
    amount: shortString.optional(),
  }),
  z.looseObject({ action: z.literal('choice'), field: z.string().max(40), value: shortString }),
  z.looseObject({ action: z.literal('traits'), none: z.union([z.boolean(), z.literal('true')]).optional() }),
]);

export type TurnInput =
  | {
      kind: 'command';
      command: Command;
      argument?: string;
      indicator?: number;
      quantityId?: string;
      fromCard: boolean;
    }
  | { kind: 'answer'; value: AnswerValue; indicator: number }
  | { kind: 'quantity'; indicator: number; quantityId: string; amount: string }
  | { kind: 'choice'; field: string; value: string }
  | { kind: 'traits'; traits: TerritoryTrait[] }
  | { kind: 'text'; text: string }
  | { kind: 'tooLong'; length: number }
  | { kind: 'invalidCard' }
  | { kind: 'empty' };

const cacheKey = Symbol('turnInput');

function fromCard(value: unknown): TurnInput {
  const parsed = cardValueSchema.safeParse(value);
  if (!parsed.success) return { kind: 'invalidCard' };
  const v = parsed.data;
  switch (v.action) {
    case 'command':
      return {
        kind: 'command',
        command: v.command,
        fromCard: true,
        ...(v.argument !== undefined ? { argument: v.argument } : {}),
        ...(v.indicator !== undefined ? { indicator: v.indicator } : {}),
        ...(v.quantityId !== undefined ? { quantityId: v.quantityId } : {}),
      };
    case 'answer':
      return { kind: 'answer', value: v.value, indicator: v.indicator };
    case 'quantity':
      return { kind: 'quantity', indicator: v.indicator, quantityId: v.quantityId, amount: v.amount ?? '' };
    case 'choice':
      return { kind: 'choice', field: v.field, value: v.value };
    case 'traits':
      return {
        kind: 'traits',
        traits: v.none
          ? []
          : territoryTraits.filter((t) => (v as Record<string, unknown>)[`trait_${t}`] === 'true'),
      };
  }
}

/** What the person said this turn: a card submit (validated) or typed text, with global commands recognised. */
export function readInput(context: TurnContext): TurnInput {
  const cached = context.turnState.get(cacheKey) as TurnInput | undefined;
  if (cached) return cached;
  const { text, value } = context.activity;
  let input: TurnInput;
  if (value !== undefined && value !== null && (!text || !text.trim())) {
    input = fromCard(value);
  } else {
    const typed = (text ?? '').trim();
    if (typed.length > maxTextLength) input = { kind: 'tooLong', length: typed.length };
    else if (!typed) input = { kind: 'empty' };
    else {
      const command = parseCommand(typed);
      input = command ? { kind: 'command', ...command, fromCard: false } : { kind: 'text', text: typed };
    }
  }
  context.turnState.set(cacheKey, input);
  return input;
}

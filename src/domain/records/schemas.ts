import { z } from 'zod';
import type { JoinCodeRecord } from '../collectivite/joinCode.js';
import { collectiviteTypes, territoryTraits, type Collectivite } from '../collectivite/collectivite.js';
import type { Respondent } from '../diagnostics/service.js';
import type { IdentityLink, ResumeCodeRecord } from '../identity/resumeCode.js';
import { answerValues, type Answer } from '../scoring/answers.js';
import { levelNames, type LevelName } from '../scoring/levels.js';
import type { Scope } from '../scoring/scope.js';
import { territoryKinds, type Territory } from '../territory/territory.js';
import type { Diagnostic } from './diagnostic.js';

/**
 * The shape every stored record must have to be used: a record edited by hand into another shape is refused on read
 * (and reported) rather than half used. Fields not listed here are kept as they are.
 */

/** `export/<token>`: a one-time, short-lived "mes données" download link. */
export interface PersonalDataLink {
  respondentId: string;
  expiresAt: string;
}

/** `report/<reportId>`: which diagnostic a public report link shows. */
export interface ReportPointer {
  diagnosticId: string;
}

/** `graphique/<token>`: what a results card's chart draws, served at /graphiques/<token>.png until `expiresAt`. */
export interface ChartLink {
  scores: {
    score: number | null;
    level: LevelName | null;
    estimate: boolean;
    enjeux: { id: string; number: number; title: string; score: number | null; level: LevelName | null }[];
  };
  meta: { date: string; collectiviteName?: string };
  expiresAt: string;
}

const date = z.iso.datetime({ offset: true });
const ids = z.array(z.string());

const scope: z.ZodType<Scope> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('full') }),
  z.object({ kind: z.literal('quick') }),
  z.object({ kind: z.literal('enjeu'), enjeuId: z.string() }),
]);

const answer: z.ZodType<Answer> = z.looseObject({
  indicator: z.number(),
  value: z.enum(answerValues),
  quantities: z.record(z.string(), z.number()).optional(),
  by: z.string().optional(),
  at: z.string().optional(),
});

export const diagnosticSchema: z.ZodType<Diagnostic> = z.looseObject({
  id: z.string(),
  scope,
  answers: z.record(z.string(), answer),
  skipped: z.array(z.number()),
  createdAt: date,
  updatedAt: date,
  finishedAt: date.optional(),
  collectiviteId: z.string().optional(),
  name: z.string().optional(),
  ownerId: z.string(),
  respondents: ids,
  byRespondent: z.record(z.string(), z.record(z.string(), z.enum(answerValues))),
  reportId: z.string().optional(),
});

export const respondentSchema: z.ZodType<Respondent> = z.looseObject({
  id: z.string(),
  tenantId: z.string().optional(),
  activeDiagnosticId: z.string().optional(),
  collectiviteIds: ids,
  diagnosticIds: ids,
  createdAt: date,
  lastSeenAt: date,
  resumeCode: z.string().optional(),
  linkedDevices: ids.optional(),
});

const place = z.looseObject({ code: z.string(), name: z.string() });

/** Optional: collectivités created before the découpage was read, or not found in it, have none. */
const territory: z.ZodType<Territory> = z.looseObject({
  kind: z.enum(territoryKinds),
  code: z.string(),
  name: z.string(),
  siren: z.string().optional(),
  population: z.number().optional(),
  nature: z.string().optional(),
  departement: place.optional(),
  region: place.optional(),
  epci: place.optional(),
  communeCount: z.number().optional(),
});

export const collectiviteSchema: z.ZodType<Collectivite> = z.looseObject({
  id: z.string(),
  name: z.string(),
  type: z.enum(collectiviteTypes),
  traits: z.array(z.enum(territoryTraits)),
  official: territory.optional(),
  tenantId: z.string().optional(),
  members: ids,
  joinCode: z.string().optional(),
  diagnosticIds: ids,
  createdAt: date,
  updatedAt: date,
});

export const joinCodeSchema: z.ZodType<JoinCodeRecord> = z.looseObject({
  collectiviteId: z.string(),
  createdAt: date,
});

export const reportPointerSchema: z.ZodType<ReportPointer> = z.looseObject({ diagnosticId: z.string() });

export const personalDataLinkSchema: z.ZodType<PersonalDataLink> = z.looseObject({
  respondentId: z.string(),
  expiresAt: date,
});

export const resumeCodeSchema: z.ZodType<ResumeCodeRecord> = z.looseObject({
  respondentId: z.string(),
  createdAt: date,
  expiresAt: date,
});

export const identityLinkSchema: z.ZodType<IdentityLink> = z.looseObject({
  respondentId: z.string(),
  linkedAt: date,
});

const level = z.enum(levelNames).nullable();

export const chartLinkSchema: z.ZodType<ChartLink> = z.looseObject({
  scores: z.looseObject({
    score: z.number().nullable(),
    level,
    estimate: z.boolean(),
    enjeux: z.array(
      z.looseObject({
        id: z.string(),
        number: z.number(),
        title: z.string(),
        score: z.number().nullable(),
        level,
      }),
    ),
  }),
  meta: z.looseObject({ date, collectiviteName: z.string().optional() }),
  expiresAt: date,
});

/** Schemas by key prefix (src/domain/records/diagnostic.ts, `recordKeys`). */
const schemas: [prefix: string, kind: string, schema: z.ZodType][] = [
  ['collectivite/', 'collectivité', collectiviteSchema],
  ['diagnostic/', 'diagnostic', diagnosticSchema],
  ['report/', 'report link', reportPointerSchema],
  ['joincode/', 'join code', joinCodeSchema],
  ['respondent/', 'respondent', respondentSchema],
  ['export/', 'personal data link', personalDataLinkSchema],
  ['resume/', 'resume code', resumeCodeSchema],
  ['link/', 'linked device', identityLinkSchema],
  ['graphique/', 'chart link', chartLinkSchema],
];

/** Why the value stored under `key` cannot be used as that kind of record; undefined when it can. */
export function recordShapeProblem(key: string, value: unknown): string | undefined {
  const found = schemas.find(([prefix]) => key.startsWith(prefix));
  if (!found) return value === undefined ? 'the record is missing' : undefined;
  const [, kind, schema] = found;
  const result = schema.safeParse(value);
  if (result.success) return undefined;
  const issues = result.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(the record)'}: ${issue.message}`)
    .join('; ');
  return `not a valid ${kind} record (${issues})`;
}

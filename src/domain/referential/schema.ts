import { z } from 'zod';

const text = z.string().trim().min(1);

export const sourceSchema = z.object({
  title: text,
  publisher: text,
  authors: z.array(text).optional(),
  credits: z.string().optional(),
  date: z.string().regex(/^\d{4}(-\d{2})?(-\d{2})?$/, 'date attendue au format AAAA-MM'),
  document: text,
});

export const quantityUnits = ['EUR', 'count', 'percent', 'ETP', 'other'] as const;

export const quantitySchema = z.object({
  id: z.string().regex(/^q\d+_[a-z0-9_]+$/, 'identifiant de quantité attendu au format q<numéro>_<nom>'),
  label: text,
  unit: z.enum(quantityUnits),
});

export const indicateurSchema = z.object({
  number: z.number().int().min(1),
  text,
  details: z.string().optional(),
  quantities: z.array(quantitySchema),
});

export const pisteSchema = z.object({ title: text, text, examples: z.array(text) });
export const quoteSchema = z.object({ text, author: text, organisation: z.string().optional() });
export const resourceSchema = z.object({ title: text, text: z.string(), url: z.string().url().optional() });

export const prerequisSchema = z.object({
  id: z.string().regex(/^E\dP\d$/, 'identifiant de prérequis attendu au format E<n>P<m>'),
  number: z.number().int().min(1),
  title: text,
  /** The seed's guiding question; three prérequis of enjeu 4 have none. */
  question: text.optional(),
  intro: z.string().optional(),
  pistes: z.array(pisteSchema).min(1, 'chaque prérequis doit avoir au moins une piste'),
  quotes: z.array(quoteSchema),
  resources: z.array(resourceSchema),
  keyIndicator: z.number().int(),
  quickQuestion: text.max(200),
  indicators: z.array(indicateurSchema).min(1),
});

export const enjeuSchema = z.object({
  id: z.string().regex(/^E\d$/, 'identifiant d’enjeu attendu au format E<n>'),
  number: z.number().int().min(1),
  title: text,
  subtitle: text,
  /** The seed's introduction of the enjeu, where it has one (only enjeu 4 does). */
  intro: text.optional(),
  prerequis: z.array(prerequisSchema).min(1),
});

export const maturitySchema = z
  .object({
    source: sourceSchema,
    license: z.literal('CC BY-SA 4.0'),
    attribution: text,
    enjeux: z.array(enjeuSchema).min(1),
  })
  .superRefine((ref, ctx) => {
    let expected = 1;
    const quantityIds = new Set<string>();
    ref.enjeux.forEach((enjeu, e) => {
      if (enjeu.number !== e + 1) {
        ctx.addIssue({ code: 'custom', path: ['enjeux', e, 'number'], message: `numéro ${e + 1} attendu` });
      }
      enjeu.prerequis.forEach((prerequis, p) => {
        const base = ['enjeux', e, 'prerequis', p];
        if (prerequis.id !== `${enjeu.id}P${p + 1}`) {
          ctx.addIssue({ code: 'custom', path: [...base, 'id'], message: `identifiant ${enjeu.id}P${p + 1} attendu` });
        }
        if (!prerequis.indicators.some((i) => i.number === prerequis.keyIndicator)) {
          ctx.addIssue({
            code: 'custom',
            path: [...base, 'keyIndicator'],
            message: `l'indicateur clé ${prerequis.keyIndicator} n'appartient pas à ce prérequis`,
          });
        }
        prerequis.indicators.forEach((indicateur, i) => {
          if (indicateur.number !== expected) {
            ctx.addIssue({
              code: 'custom',
              path: [...base, 'indicators', i, 'number'],
              message: `numéro ${expected} attendu (les indicateurs se suivent de 1 à N), trouvé ${indicateur.number}`,
            });
          }
          expected = indicateur.number + 1;
          indicateur.quantities.forEach((q, k) => {
            if (quantityIds.has(q.id)) {
              ctx.addIssue({
                code: 'custom',
                path: [...base, 'indicators', i, 'quantities', k, 'id'],
                message: `identifiant de quantité en double : ${q.id}`,
              });
            }
            quantityIds.add(q.id);
          });
        });
      });
    });
  });

export const levelNames = ['Émergence', 'Structuration', 'Consolidation', 'Maturité'] as const;

export const roadmapSchema = z
  .object({
    source: sourceSchema,
    license: z.string().nullable(),
    steps: z
      .array(
        z.object({
          number: z.number().int().min(1),
          id: text,
          title: text,
          summary: text,
          actions: z.array(text).min(1),
          deliverables: z.array(text).optional(),
          enjeux: z.array(z.string().regex(/^E\d$/)),
        }),
      )
      .length(7, 'la méthode compte 7 étapes'),
    conditions: z.array(z.object({ title: text, text })).min(1),
    chantierCle: z.object({ definition: text, examples: z.array(text).optional() }),
    byLevel: z.object(
      Object.fromEntries(
        levelNames.map((l) => [l, z.object({ startAt: z.array(z.number().int().min(1).max(7)).min(1), advice: text })]),
      ) as Record<(typeof levelNames)[number], z.ZodObject<{ startAt: z.ZodArray<z.ZodNumber>; advice: z.ZodString }>>,
    ),
  })
  .superRefine((roadmap, ctx) => {
    roadmap.steps.forEach((step, i) => {
      if (step.number !== i + 1) ctx.addIssue({ code: 'custom', path: ['steps', i, 'number'], message: `numéro ${i + 1} attendu` });
    });
  });

export type Maturity = z.infer<typeof maturitySchema>;
export type Enjeu = z.infer<typeof enjeuSchema>;
export type Prerequis = z.infer<typeof prerequisSchema>;
export type Indicateur = z.infer<typeof indicateurSchema>;
export type Quantity = z.infer<typeof quantitySchema>;
export type Piste = z.infer<typeof pisteSchema>;
export type Roadmap = z.infer<typeof roadmapSchema>;
export type LevelName = (typeof levelNames)[number];

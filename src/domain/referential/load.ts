import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { maturitySchema, roadmapSchema, type Enjeu, type Indicateur, type Maturity, type Prerequis, type Roadmap } from './schema.js';

/** A referential file that cannot be used: names the file, the JSON path inside it and the problem. */
export class ReferentialError extends Error {
  constructor(
    readonly file: string,
    readonly problems: { path: string; message: string }[],
  ) {
    super(
      `referential: ${file} is invalid / le fichier ${file} est invalide :\n` +
        problems.map((p) => `  - at ${p.path || '(racine)'}: ${p.message}`).join('\n'),
    );
    this.name = 'ReferentialError';
  }
}

function formatPath(path: PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');
}

export function loadJsonFile<S extends z.ZodType>(dir: string, file: string, schema: S): z.infer<S> {
  const fullPath = join(dir, file);
  let raw: string;
  try {
    raw = readFileSync(fullPath, 'utf8');
  } catch (err) {
    throw new ReferentialError(fullPath, [{ path: '', message: `cannot read file: ${(err as Error).message}` }]);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new ReferentialError(fullPath, [{ path: '', message: `JSON invalide — ${(err as Error).message}` }]);
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    throw new ReferentialError(
      fullPath,
      result.error.issues.slice(0, 20).map((issue) => ({ path: formatPath(issue.path), message: issue.message })),
    );
  }
  return result.data;
}

export interface IndicateurRef {
  indicateur: Indicateur;
  prerequis: Prerequis;
  enjeu: Enjeu;
}

/** The maturity referential with the look-ups every other module needs. */
export class MaturityReferential {
  readonly indicators: readonly IndicateurRef[];
  readonly keyIndicators: readonly IndicateurRef[];
  private readonly byNumber = new Map<number, IndicateurRef>();
  private readonly prerequisById = new Map<string, { prerequis: Prerequis; enjeu: Enjeu }>();

  constructor(readonly data: Maturity) {
    const all: IndicateurRef[] = [];
    for (const enjeu of data.enjeux) {
      for (const prerequis of enjeu.prerequis) {
        this.prerequisById.set(prerequis.id, { prerequis, enjeu });
        for (const indicateur of prerequis.indicators) {
          const ref = { indicateur, prerequis, enjeu };
          all.push(ref);
          this.byNumber.set(indicateur.number, ref);
        }
      }
    }
    this.indicators = all;
    this.keyIndicators = data.enjeux.flatMap((enjeu) =>
      enjeu.prerequis.map((prerequis) => this.byNumber.get(prerequis.keyIndicator)!),
    );
  }

  get enjeux(): readonly Enjeu[] {
    return this.data.enjeux;
  }

  get prerequisCount(): number {
    return this.prerequisById.size;
  }

  indicator(number: number): IndicateurRef | undefined {
    return this.byNumber.get(number);
  }

  prerequis(id: string): { prerequis: Prerequis; enjeu: Enjeu } | undefined {
    return this.prerequisById.get(id);
  }

  enjeu(id: string): Enjeu | undefined {
    return this.data.enjeux.find((e) => e.id === id);
  }
}

export interface Referentials {
  maturity: MaturityReferential;
  roadmap: Roadmap;
}

export function loadReferentials(dir: string): Referentials {
  return {
    maturity: new MaturityReferential(loadJsonFile(dir, 'maturity.json', maturitySchema)),
    roadmap: loadJsonFile(dir, 'roadmap.json', roadmapSchema),
  };
}

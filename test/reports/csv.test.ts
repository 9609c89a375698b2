import { describe, expect, it } from 'vitest';
import { csvCell, renderAnswersCsv } from '../../src/reports/csv.js';
import { answeredDiagnostic, referentials, setup } from './fixtures.js';

/** RFC 4180 reader with `;` as separator, for checking what Excel will see. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ';') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell || row.length > 0) rows.push([...row, cell]);
  return rows;
}

describe('les réponses en CSV', () => {
  it('un diagnostic rapide donne 13 lignes, en UTF-8 avec BOM, séparées par des points-virgules', async () => {
    const { service } = setup();
    const diagnostic = await answeredDiagnostic(service, {
      quantities: { 22: { q22_budget_fonctionnement: 45000, q22_budget_investissement: 1200 } },
    });
    const csv = renderAnswersCsv(referentials, diagnostic);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const bytes = Buffer.from(csv, 'utf8');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);

    const rows = parseCsv(Buffer.from(bytes).toString('utf8').slice(1));
    expect(rows[0]).toEqual([
      'Numéro',
      'Enjeu',
      'Prérequis',
      'Indicateur',
      'Réponse',
      'Quantités',
      'Répondant',
      'Date',
      'Collectivité',
      'Code officiel',
      'Population',
    ]);
    const data = rows.slice(1);
    expect(data).toHaveLength(13);
    expect(data.map((r) => Number(r[0]))).toEqual(
      referentials.maturity.keyIndicators.map((k) => k.indicateur.number),
    );
    for (const [i, row] of data.entries()) {
      const ref = referentials.maturity.keyIndicators[i]!;
      expect(row).toHaveLength(11);
      expect(row[3]).toBe(ref.indicateur.text);
      expect(row[1]).toBe(`Enjeu ${ref.enjeu.number} — ${ref.enjeu.title}`);
      expect(row[6]).toBe('Répondant 1');
    }
    expect(data.map((r) => r[4])).toEqual([
      'Oui',
      'En partie',
      'Non',
      'Oui',
      'Oui',
      'En partie',
      'Je ne sais pas',
      'Non',
      'Oui',
      'Oui',
      'En partie',
      'Oui',
      'Non',
    ]);
    const budget = data.find((r) => r[0] === '22')!;
    expect(budget[5]).toBe(
      "Montant du budget de fonctionnement: 45\u00a0000\u00a0€; Montant du budget d'investissement: 1\u00a0200\u00a0€",
    );
    expect(data[0]![7]).toBe('12/03/2024 10:00');
    expect(csv).not.toContain('teams-user-aad-0001');
    expect(csv).toContain('\r\n');
  });

  it('un diagnostic complet donne 68 lignes et garde les accents, apostrophes et guillemets', async () => {
    const { service } = setup();
    const diagnostic = await answeredDiagnostic(service, {
      scope: { kind: 'full' },
      values: ['oui', 'non', 'en_partie'],
    });
    const rows = parseCsv(renderAnswersCsv(referentials, diagnostic).slice(1));
    expect(rows.slice(1)).toHaveLength(68);
    const texts = referentials.maturity.indicators.map((r) => r.indicateur.text);
    expect(rows.slice(1).map((r) => r[3])).toEqual(texts);
    expect(texts.some((t) => t.includes('"'))).toBe(true);
  });

  it('laisse vides les indicateurs sans réponse et dit ceux qui ont été passés', async () => {
    const { service } = setup();
    const diagnostic = await service.startDiagnostic('u1', { kind: 'quick' });
    await service.skip(diagnostic.id, 'u1', 1);
    const rows = parseCsv(
      renderAnswersCsv(referentials, (await service.diagnostic(diagnostic.id))!).slice(1),
    );
    expect(rows[1]!.slice(4, 8)).toEqual(['Sans réponse (question passée)', '', '', '']);
    expect(rows[2]![4]).toBe('Sans réponse');
  });

  it('cite les cellules selon la RFC 4180 et neutralise les formules', () => {
    expect(csvCell('simple')).toBe('simple');
    expect(csvCell('a;b')).toBe('"a;b"');
    expect(csvCell('dit "oui"')).toBe('"dit ""oui"""');
    expect(csvCell('deux\nlignes')).toBe('"deux\nlignes"');
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
  });
});

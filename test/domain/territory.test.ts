import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { decoupage, exactScore, type Decoupage } from '../../src/domain/territory/decoupage.js';
import { nameKey, oneEditApart, parseName } from '../../src/domain/territory/names.js';
import { describeTerritory, shortTerritoryLabel } from '../../src/domain/territory/territory.js';
import { collectiviteSchema } from '../../src/domain/records/schemas.js';

// The real data of @etalab/decoupage-administratif, read once for the file.
let d: Decoupage;
beforeAll(async () => {
  d = await decoupage();
});

const first = (text: string) => d.search(text)[0];
const names = (text: string) => d.search(text).map((c) => c.territory.name);

describe('Règle : on retrouve une collectivité par ce qu’on en tape', () => {
  it('« Tulle » : la commune de Corrèze, avec son code INSEE, sa population, son département, sa région, son EPCI', () => {
    const tulle = first('Tulle')!;
    expect(tulle.match).toBe('name');
    expect(tulle.territory).toMatchObject({
      kind: 'commune',
      code: '19272',
      name: 'Tulle',
      siren: '211927207',
      departement: { code: '19', name: 'Corrèze' },
      region: { code: '75', name: 'Nouvelle-Aquitaine' },
      epci: { code: '241927201', name: 'CA Tulle Agglo' },
    });
    expect(tulle.territory.population).toBeGreaterThan(10_000);
    expect(describeTerritory(tulle.territory)).toMatch(
      /^Tulle \(commune, Corrèze, \d{2}\u00a0\d{3} habitants — code INSEE 19272\)$/,
    );
    // the commune first, its agglomération after (a name that only starts with « Tulle »)
    expect(d.search('Tulle')[1]).toMatchObject({ match: 'prefix', territory: { name: 'CA Tulle Agglo' } });
  });

  it('« CC de Lacq-Orthez », en toutes lettres ou sans son préfixe : l’intercommunalité et ses communes', () => {
    for (const typed of [
      'CC de Lacq-Orthez',
      'Communauté de communes de Lacq-Orthez',
      'communaute de communes lacq orthez',
      'Lacq-Orthez',
    ]) {
      const found = first(typed)!;
      expect(found.score, typed).toBeGreaterThanOrEqual(exactScore);
      expect(found.territory, typed).toMatchObject({ kind: 'epci', code: '200039204', nature: 'CC' });
    }
    const lacqOrthez = d.get('epci', '200039204')!;
    const communes = d.communesOf(lacqOrthez);
    expect(communes.length).toBe(lacqOrthez.communeCount);
    expect(communes.map((c) => c.name)).toEqual(expect.arrayContaining(['Orthez', 'Mourenx', 'Lacq']));
    expect(communes.every((c) => c.epci?.code === '200039204')).toBe(true);
    // most populous first; the EPCI's population is the sum of its communes'
    expect(communes[0]!.name).toBe('Orthez');
    expect(lacqOrthez.population).toBe(communes.reduce((sum, c) => sum + (c.population ?? 0), 0));
    expect(lacqOrthez.departement?.name).toBe('Pyrénées-Atlantiques');
  });

  it('les préfixes usuels des EPCI : « agglo de Tulle », « Métropole de Bordeaux »', () => {
    expect(first('agglo de Tulle')!.territory.name).toBe('CA Tulle Agglo');
    expect(first('Métropole de Bordeaux')!.territory.name).toBe('Bordeaux Métropole');
    expect(first('CU de Dunkerque')!.territory.name).toBe('CU de Dunkerque');
    expect(first('Communauté urbaine de Dunkerque')!.territory.name).toBe('CU de Dunkerque');
  });

  it('l’EPCI d’une commune', () => {
    expect(d.epciOf('19272')).toMatchObject({ name: 'CA Tulle Agglo', kind: 'epci', nature: 'CA' });
    expect(d.epciOf('64300')?.name).toBe('CC de Lacq-Orthez');
    expect(d.epciOf('29083')).toBeUndefined(); // Île-de-Sein belongs to no EPCI
  });

  it('« 19272 » (code INSEE), « 211927207 » (SIREN), « 19000 » (code postal)', () => {
    expect(d.search('19272')).toEqual([
      expect.objectContaining({ match: 'code', territory: expect.objectContaining({ name: 'Tulle' }) }),
    ]);
    expect(first('211 927 207')).toMatchObject({ match: 'siren', territory: { code: '19272' } });
    expect(first('200039204')).toMatchObject({ match: 'siren', territory: { name: 'CC de Lacq-Orthez' } });
    const byPostcode = d.search('19000');
    expect(byPostcode.every((c) => c.match === 'postcode')).toBe(true);
    expect(byPostcode.map((c) => c.territory.name)).toContain('Tulle');
    expect(byPostcode[0]!.territory.name).toBe('Tulle');
  });

  it('homonymes : « Saint-Denis », « Sainte-Marie », la plus peuplée d’abord, et « Sainte-Marie 25 » pour choisir', () => {
    const saintDenis = d.search('Saint-Denis').filter((c) => c.score >= exactScore);
    expect(saintDenis.map((c) => c.territory.departement?.name)).toEqual([
      'La Réunion',
      'Seine-Saint-Denis',
      'Aude',
      'Gard',
    ]);
    const populations = saintDenis.map((c) => c.territory.population!);
    expect([...populations].sort((a, b) => b - a)).toEqual(populations);
    expect(shortTerritoryLabel(saintDenis[0]!.territory)).toBe('Saint-Denis (La Réunion)');
    expect(shortTerritoryLabel(saintDenis[1]!.territory)).toBe('Saint-Denis (93)');

    const sainteMarie = d.search('Sainte-Marie').filter((c) => c.score >= exactScore);
    expect(sainteMarie.length).toBeGreaterThanOrEqual(8);
    expect(new Set(sainteMarie.map((c) => c.territory.code)).size).toBe(sainteMarie.length);
    expect(d.search('Sainte-Marie 25')).toEqual([
      expect.objectContaining({ territory: expect.objectContaining({ code: '25523' }) }),
    ]);
    expect(first('Saint-Denis (93)')!.territory.code).toBe('93066');
  });

  it('sans accents ni majuscules, « St » pour « Saint » : « besancon », « St-Étienne », « SAINT ETIENNE »', () => {
    expect(first('besancon')).toMatchObject({
      match: 'name',
      territory: { name: 'Besançon', code: '25056' },
    });
    for (const typed of ['St-Étienne', 'saint etienne', 'SAINT-ÉTIENNE', 'St Etienne'])
      expect(first(typed)!.territory, typed).toMatchObject({ name: 'Saint-Étienne', code: '42218' });
    expect(first('Havre')!.territory.name).toBe('Le Havre');
  });

  it('une faute de frappe sur un nom de 6 lettres ou plus : « Bordaeux » → Bordeaux ; pas sur un nom court', () => {
    expect(first('Bordaeux')).toMatchObject({
      match: 'typo',
      territory: { name: 'Bordeaux', code: '33063' },
    });
    expect(first('Bordeauxx')?.territory.name).toBe('Bordeaux');
    expect(names('Tule')).not.toContain('Tulle'); // 4 letters: no typo allowed
  });

  it('un début de nom : « Saint-Étienne-du-Rou » → Saint-Étienne-du-Rouvray (une supposition, pas une certitude)', () => {
    expect(first('Saint-Étienne-du-Rou')).toMatchObject({
      match: 'prefix',
      territory: { name: 'Saint-Étienne-du-Rouvray' },
    });
    expect(first('Saint-Étienne-du-Rou')!.score).toBeLessThan(exactScore);
  });

  it('départements et régions : « Corrèze », « 19 », « Département de la Gironde », « Bretagne », « 2A »', () => {
    const correze = d.search('Corrèze').filter((c) => c.score >= exactScore);
    expect(correze.map((c) => c.territory.kind)).toEqual(['departement', 'commune']);
    expect(correze[0]!.territory).toMatchObject({ code: '19', region: { name: 'Nouvelle-Aquitaine' } });
    expect(first('19')).toMatchObject({ match: 'code', territory: { kind: 'departement', name: 'Corrèze' } });
    expect(first('2A')!.territory.name).toBe('Corse-du-Sud');
    expect(first('Département de la Gironde')!.territory).toMatchObject({ kind: 'departement', code: '33' });
    expect(first('Conseil régional de Bretagne')!.territory).toMatchObject({ kind: 'region', code: '53' });
    const bretagne = d.get('region', '53')!;
    expect(bretagne.communeCount).toBe(d.communesOf(bretagne).length);
    expect(bretagne.population).toBeGreaterThan(3_000_000);
    const correzeDepartement = d.get('departement', '19')!;
    expect(d.communesOf(correzeDepartement).every((c) => c.departement?.code === '19')).toBe(true);
    expect(describeTerritory(correzeDepartement)).toMatch(
      /^Corrèze \(département, Nouvelle-Aquitaine, \d{3} communes, \d{3}\u00a0\d{3} habitants — code 19\)$/,
    );
  });

  it('un nom inventé ne donne rien', () => {
    for (const typed of ['Testbourg', 'Haut-Test', 'Communauté de communes du Haut-Test', 'oui', 'aucune'])
      expect(d.search(typed), typed).toEqual([]);
  });

  it('la reconnaissance : une seule certitude, des homonymes, des suppositions, ou rien', () => {
    expect(d.recognise('Tulle')).toMatchObject({ kind: 'one', territory: { code: '19272' } });
    expect(d.recognise('19272')).toMatchObject({ kind: 'one', territory: { code: '19272' } });
    const saintDenis = d.recognise('Saint-Denis');
    expect(saintDenis).toMatchObject({ kind: 'homonyms', total: 4 });
    const sainteMarie = d.recognise('Sainte-Marie');
    expect(sainteMarie.kind === 'homonyms' && sainteMarie.candidates).toHaveLength(4);
    expect(d.recognise('Bordaeux')).toMatchObject({ kind: 'guesses', candidates: [{ name: 'Bordeaux' }] });
    expect(d.recognise('Testbourg')).toEqual({ kind: 'none' });
    // « ce n'est pas ça » : the others
    const others = d.recognise('Tulle', { kind: 'commune', code: '19272' });
    expect(others.kind === 'guesses' && others.candidates.map((t) => t.name)).toContain('CA Tulle Agglo');
  });

  it('un bouton tient en 30 caractères (ce que Teams montre en entier), même pour un long nom d’EPCI', () => {
    const long = d.get('epci', '200070662')!; // CC Bretagne Porte de Loire Communauté
    expect(long.name.length).toBeGreaterThan(30);
    expect(shortTerritoryLabel(long)).toBe('CC Bretagne Porte de Loire…');
    for (const typed of ['Saint-Denis', 'Sainte-Marie', 'Bretagne', 'Saint-Étienne', 'Paris', 'Corrèze'])
      for (const c of d.search(typed))
        expect(shortTerritoryLabel(c.territory).length, typed).toBeLessThanOrEqual(30);
  });

  it('n’importe quel texte tapé donne une liste (peut-être vide), jamais une erreur', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (typed) => {
        expect(Array.isArray(d.search(typed))).toBe(true);
        expect(['one', 'homonyms', 'guesses', 'none']).toContain(d.recognise(typed).kind);
      }),
      { numRuns: 300 },
    );
  });

  it('mesure : une recherche prend quelques millisecondes', () => {
    const started = performance.now();
    for (const typed of ['Tulle', 'Bordaeux', 'Sainte-Marie', 'CC de Lacq-Orthez', 'Saint']) d.search(typed);
    expect((performance.now() - started) / 5).toBeLessThan(50);
  });
});

describe('les clés de comparaison', () => {
  it('replient accents, casse, tirets, apostrophes, « St », « œ »', () => {
    expect(nameKey('St-Étienne-du-Rouvray')).toBe('saint etienne du rouvray');
    expect(nameKey("L'Île-d'Yeu")).toBe('l ile d yeu');
    expect(nameKey('Cœur de Savoie')).toBe('coeur de savoie');
    expect(parseName('Communauté de communes de Lacq-Orthez')).toEqual({
      full: 'cc de lacq orthez',
      hint: 'epci',
      rest: 'lacq orthez',
    });
  });

  it('« une modification » : une lettre changée, ajoutée, ôtée, ou deux voisines inversées', () => {
    expect(oneEditApart('bordaeux', 'bordeaux')).toBe(true);
    expect(oneEditApart('bordeau', 'bordeaux')).toBe(true);
    expect(oneEditApart('bordeauxx', 'bordeaux')).toBe(true);
    expect(oneEditApart('bordeaix', 'bordeaux')).toBe(true);
    expect(oneEditApart('bordeaux', 'bordeaux')).toBe(false);
    expect(oneEditApart('brodaeux', 'bordeaux')).toBe(false);
  });
});

describe('Règle : une collectivité enregistrée avant la reconnaissance se lit toujours', () => {
  const old = {
    id: 'c1',
    name: 'Communauté de communes Cœur de Savoie',
    type: 'intercommunalite',
    traits: ['rural'],
    members: ['u1'],
    diagnosticIds: [],
    createdAt: '2024-03-12T09:00:00.000Z',
    updatedAt: '2024-03-12T09:00:00.000Z',
  };
  it('sans fiche officielle : valide ; avec : valide ; une fiche abîmée : refusée', async () => {
    expect(collectiviteSchema.safeParse(old).success).toBe(true);
    const official = (await decoupage()).get('commune', '19272')!;
    expect(collectiviteSchema.safeParse({ ...old, official }).success).toBe(true);
    expect(collectiviteSchema.safeParse({ ...old, official: { kind: 'canton', code: 1 } }).success).toBe(
      false,
    );
  });
});

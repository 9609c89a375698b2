/**
 * The découpage index (src/domain/territory): load time, memory it keeps, and search time over a few hundred real
 * names as people type them (exact, without accents, with a typo, EPCI in long form, codes), with how often the
 * intended collectivité comes first.
 *
 *   node --expose-gc --max-old-space-size=192 --import tsx bench/territory.ts
 *
 * (--expose-gc makes the memory figures those after a collection; --max-old-space-size=192 is the server's.)
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Decoupage } from '../src/domain/territory/decoupage.js';
import { fmt, summarize } from './stats.js';

const gc = (globalThis as { gc?: () => void }).gc;
const mb = (bytes: number) => bytes / 1024 / 1024;
const settle = () => {
  gc?.();
  return process.memoryUsage();
};

const before = settle();
const started = performance.now();
const index = await Decoupage.load();
const loadMs = performance.now() - started;
const peakRssMb = process.resourceUsage().maxRSS / 1024;
const after = settle();

interface Probe {
  group: string;
  text: string;
  expect: string;
}

/** Real names and codes from the package's own files, one commune in 100 and one EPCI in 5 (deterministic). */
function probes(): Probe[] {
  const require = createRequire(import.meta.url);
  const read = (file: string) =>
    JSON.parse(
      readFileSync(require.resolve(`@etalab/decoupage-administratif/data/${file}.json`), 'utf8'),
    ) as Record<string, unknown>[];
  const communes = read('communes').filter((c) => c.type === 'commune-actuelle' && c.siren);
  const epci = read('epci');
  const out: Probe[] = [];
  const fold = (s: string) =>
    s
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/-/g, ' ');
  // one typo: two neighbouring letters swapped in the middle of the name
  const typo = (s: string) => {
    const i = Math.floor(s.length / 2);
    return s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
  };
  for (let i = 0; i < communes.length; i += 100) {
    const c = communes[i]!;
    const name = String(c.nom);
    const key = `commune:${c.code}`;
    out.push({ group: 'nom exact', text: name, expect: key });
    out.push({ group: 'sans accents', text: fold(name), expect: key });
    if (name.length >= 8 && /^[a-z]{4}$/i.test(name.slice(name.length / 2 - 2, name.length / 2 + 2)))
      out.push({ group: 'faute de frappe', text: typo(name), expect: key });
    out.push({ group: 'code INSEE', text: String(c.code), expect: key });
    out.push({ group: 'SIREN', text: String(c.siren), expect: key });
  }
  for (let i = 0; i < epci.length; i += 5) {
    const e = epci[i]!;
    const name = String(e.nom);
    const long = name
      .replace(/^CC /, 'Communauté de communes ')
      .replace(/^CA /, "Communauté d'agglomération ")
      .replace(/^CU /, 'Communauté urbaine ');
    out.push({ group: 'EPCI en toutes lettres', text: long, expect: `epci:${e.code}` });
  }
  return out;
}

const list = probes();
// warm-up: the first searches compile the code paths
for (const p of list.slice(0, 50)) index.search(p.text);

const byGroup = new Map<string, { times: number[]; first: number; homonym: number; exact: number }>();
const all: number[] = [];
for (const p of list) {
  const t0 = performance.now();
  const found = index.search(p.text);
  const ms = performance.now() - t0;
  all.push(ms);
  const g = byGroup.get(p.group) ?? { times: [], first: 0, homonym: 0, exact: 0 };
  g.times.push(ms);
  const keys = found.map((c) => `${c.territory.kind}:${c.territory.code}`);
  if (keys[0] === p.expect) g.first++;
  // not first, but behind a namesake found the same way (a larger population comes first)
  else if (
    found.find((c) => `${c.territory.kind}:${c.territory.code}` === p.expect)?.score === found[0]?.score
  )
    g.homonym++;
  if (keys.includes(p.expect)) g.exact++;
  byGroup.set(p.group, g);
}

console.log(
  `chargement : ${fmt(loadMs, 0)} ms ; ${JSON.stringify(index.counts())}\n` +
    `mémoire gardée (après GC${gc ? '' : ' — lancer avec --expose-gc'}) : tas +${fmt(mb(after.heapUsed - before.heapUsed))} Mo, ` +
    `RSS +${fmt(mb(after.rss - before.rss))} Mo ; RSS maximale du processus pendant le chargement ${fmt(peakRssMb)} Mo`,
);
console.log(
  '\ngroupe | recherches | médiane ms | p99 ms | max ms | trouvée en premier | derrière un homonyme | parmi les 10',
);
console.log('---|---|---|---|---|---|---|---');
for (const [group, g] of [
  ...byGroup.entries(),
  ['tout', { times: all, first: NaN, homonym: NaN, exact: NaN }] as const,
]) {
  const s = summarize(g.times);
  const share = (n: number) => (Number.isNaN(n) ? '' : `${fmt((100 * n) / g.times.length, 0)} %`);
  console.log(
    `${group} | ${s.count} | ${fmt(s.p50, 3)} | ${fmt(s.p99, 3)} | ${fmt(s.max, 3)} | ${share(g.first)} | ${share(g.homonym)} | ${share(g.exact)}`,
  );
}
console.log(
  JSON.stringify({
    loadMs: Math.round(loadMs),
    heapMb: Number(mb(after.heapUsed - before.heapUsed).toFixed(1)),
    rssMb: Number(mb(after.rss - before.rss).toFixed(1)),
    peakRssMb: Math.round(peakRssMb),
    searches: all.length,
    p50Ms: Number(summarize(all).p50.toFixed(3)),
    p99Ms: Number(summarize(all).p99.toFixed(3)),
  }),
);

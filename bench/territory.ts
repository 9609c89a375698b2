/**
 * The découpage index (src/domain/territory): load time, memory it keeps, and search time over a few hundred real
 * names as people type them (exact, without accents, with a typo, EPCI in long form, codes), with how often the
 * intended collectivité comes first.
 *
 *   node --expose-gc --max-old-space-size=192 --import tsx bench/territory.ts [--server]
 *
 * (--expose-gc makes the memory figures those after a collection; --max-old-space-size=192 is the server's.)
 * With --server, also the real server as `npm start` runs it (built into test-results/territory-dist): its RSS
 * before and after the first set-up that reads the découpage, and the round trip of the name turn.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Decoupage } from '../src/domain/territory/decoupage.js';
import { projectRoot } from '../src/paths.js';
import { HttpClient } from './http.js';
import { expectRepliesActivity, readable, type ReplyActivity } from './load.js';
import { killAllChildren, settle, startAssistantServer } from './processes.js';
import { fmt, summarize } from './stats.js';

const gc = (globalThis as { gc?: () => void }).gc;
const mb = (bytes: number) => bytes / 1024 / 1024;
const collected = () => {
  gc?.();
  return process.memoryUsage();
};

const before = collected();
const started = performance.now();
const index = await Decoupage.load();
const loadMs = performance.now() - started;
const peakRssMb = process.resourceUsage().maxRSS / 1024;
const after = collected();

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

/** V8 gives unused heap back to the system after some idle time: RSS is read after this long without turns. */
const idleMs = 20_000;

/** The set-up through the real server: RSS before and after the découpage is read, and the name turn's round trip. */
async function measureServer() {
  const outDir = join(projectRoot, 'test-results', 'territory-dist');
  rmSync(outDir, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [join(projectRoot, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', outDir],
    { cwd: projectRoot, stdio: 'inherit' },
  );
  const dataDir = mkdtempSync(join(tmpdir(), 'territory-bench-'));
  const client = new HttpClient(4);
  const server = await startAssistantServer({
    name: 'assistant',
    entry: join(outDir, 'src', 'index.js'),
    dataDir,
  });
  try {
    await settle(server, 60_000);
    await sleep(idleMs);
    const say = async (conversation: string, text: string) => {
      const t0 = performance.now();
      const res = await client.post<{ activities: ReplyActivity[] }>(
        `${server.url}/api/messages`,
        expectRepliesActivity(conversation, `${conversation}-user`, text, 'bench'),
      );
      return { ms: performance.now() - t0, text: readable(res.body.activities ?? []) };
    };
    const rssBefore = server.rssMb()!;
    const first = randomUUID();
    const start = await say(first, 'diagnostic complet');
    const name = await say(first, 'Tulle');
    if (!name.text.includes("J'ai reconnu : Tulle"))
      throw new Error(`bench: Tulle not recognised:\n${name.text}`);
    const rssAfter = server.rssMb()!;
    await sleep(idleMs);
    const rssLater = server.rssMb()!;
    const names = ['Saint-Denis', 'CC de Lacq-Orthez', 'Bordaeux', 'besancon', '19272', 'Testbourg'];
    const turns: number[] = [];
    for (let i = 0; i < 60; i++) {
      const conversation = randomUUID();
      await say(conversation, 'diagnostic complet');
      turns.push((await say(conversation, names[i % names.length]!)).ms);
    }
    const s = summarize(turns);
    console.log(
      `\nserveur (npm start) : RSS ${fmt(rssBefore)} Mo au repos → ${fmt(rssAfter)} Mo juste après la première ` +
        `reconnaissance → ${fmt(rssLater)} Mo ${idleMs / 1000} s plus tard (+${fmt(rssLater - rssBefore)} Mo ; ` +
        `pic du processus ${fmt(server.peakRssMb())} Mo) ; ` +
        `« diagnostic complet » ${fmt(start.ms, 0)} ms puis « Tulle » ${fmt(name.ms, 0)} ms (lecture du découpage comprise) ; ` +
        `tour du nom ensuite : médiane ${fmt(s.p50)} ms, p99 ${fmt(s.p99)} ms sur ${s.count}`,
    );
  } finally {
    client.close();
    await server.stop();
    killAllChildren();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--server')) await measureServer();

/**
 * Reads a V8 .cpuprofile (from `node --cpu-prof`) and prints where the time went: the functions with the most self
 * time, and the same time grouped by package (node_modules/<name>), by project folder, or by Node's internals.
 *
 *   node --import tsx bench/profile.ts test-results/bench-profiles/assistant-10/CPU….cpuprofile [top] [skip first ms]
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fmt } from './stats.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface SelfTime {
  name: string;
  where: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  functions: SelfTime[];
  groups: SelfTime[];
  /** The project's own functions (src/, dialogs/, cards/) by inclusive time: them and what they call. */
  project: SelfTime[];
}

const projectCode = /\/(dist\/)?(src|dialogs|cards)\//;

function shortUrl(url: string): string {
  if (!url) return '';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const modules = path.lastIndexOf('/node_modules/');
  if (modules >= 0) return path.slice(modules + '/node_modules/'.length);
  const project = /\/(dist\/)?(src|dialogs|cards|bench)\//.exec(path);
  return project ? path.slice(project.index + 1) : path;
}

function groupOf(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  if (url.startsWith('node:')) return 'node:internal';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const modules = path.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = path.slice(modules + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const project = /\/(dist\/)?(src\/[^/]+|dialogs|cards|bench)\//.exec(path);
  return project ? project[2]! : path;
}

/** Self time by function and by package; `fromMs` leaves out the first milliseconds (start-up). */
export function summarizeProfile(profile: CpuProfile, top = 25, fromMs = 0): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfUs = new Map<number, number>();
  const inclusiveUs = new Map<string, SelfTime>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let elapsedUs = 0;
  for (let i = 0; i < samples.length; i++) {
    elapsedUs += deltas[i] ?? 0;
    if (elapsedUs < fromMs * 1000) continue;
    // a sample's time is the delta to the next sample
    const us = Math.max(0, deltas[i + 1] ?? 0);
    selfUs.set(samples[i]!, (selfUs.get(samples[i]!) ?? 0) + us);
    const counted = new Set<string>();
    for (let id: number | undefined = samples[i]; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)?.callFrame;
      if (!frame || !projectCode.test(frame.url)) continue;
      const name = frame.functionName || '(anonymous)';
      const where = `${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
      const key = `${name} ${where}`;
      if (counted.has(key)) continue;
      counted.add(key);
      const entry = inclusiveUs.get(key) ?? { name, where, ms: 0, share: 0 };
      entry.ms += us / 1000;
      inclusiveUs.set(key, entry);
    }
  }
  const functions = new Map<string, SelfTime>();
  const groups = new Map<string, SelfTime>();
  let totalUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    totalUs += us;
    if (functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const name = functionName || '(anonymous)';
    const where = url ? `${shortUrl(url)}:${lineNumber + 1}` : '';
    const key = `${name} ${where}`;
    const entry = functions.get(key) ?? { name, where, ms: 0, share: 0 };
    entry.ms += us / 1000;
    functions.set(key, entry);
    const group = groupOf(url, name);
    const groupEntry = groups.get(group) ?? { name: group, where: '', ms: 0, share: 0 };
    groupEntry.ms += us / 1000;
    groups.set(group, groupEntry);
  }
  const busyMs = (totalUs - idleUs) / 1000;
  const ranked = (map: Map<string, SelfTime>) =>
    [...map.values()]
      .map((entry) => ({ ...entry, share: busyMs > 0 ? entry.ms / busyMs : 0 }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, top);
  return {
    totalMs: totalUs / 1000,
    idleMs: idleUs / 1000,
    functions: ranked(functions),
    groups: ranked(groups),
    project: ranked(inclusiveUs),
  };
}

export function readProfile(file: string): CpuProfile {
  return JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
}

export function formatProfile(title: string, summary: ProfileSummary): string {
  const busy = summary.totalMs - summary.idleMs;
  const lines = [
    `${title}: ${fmt(busy / 1000, 1)} s busy of ${fmt(summary.totalMs / 1000, 1)} s profiled`,
    '  self ms   share  function (where)',
  ];
  for (const f of summary.functions) {
    lines.push(
      `  ${fmt(f.ms, 0).padStart(7)}  ${fmt(f.share * 100, 1).padStart(5)}%  ${f.name}${f.where ? ` (${f.where})` : ''}`,
    );
  }
  lines.push('  self time by package / folder:');
  for (const g of summary.groups.slice(0, 15)) {
    lines.push(`  ${fmt(g.ms, 0).padStart(7)}  ${fmt(g.share * 100, 1).padStart(5)}%  ${g.name}`);
  }
  lines.push("  the project's functions by inclusive time (them and everything they call):");
  for (const f of summary.project.slice(0, 20)) {
    lines.push(
      `  ${fmt(f.ms, 0).padStart(7)}  ${fmt(f.share * 100, 1).padStart(5)}%  ${f.name} (${f.where})`,
    );
  }
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [file, top, fromMs] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node --import tsx bench/profile.ts <file.cpuprofile> [top] [skip first ms]');
    process.exit(2);
  }
  console.log(
    formatProfile(file, summarizeProfile(readProfile(file), Number(top ?? 25), Number(fromMs ?? 0))),
  );
}

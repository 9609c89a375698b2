import { createHash } from 'node:crypto';
import { renderChartSvg, levelColors } from './charts.js';
import { escapeHtml as esc, formatScore, nbsp, slugify } from './format.js';
import {
  coverageSentence,
  declaredDates,
  licenseUrls,
  officialLine,
  prerequisLabel,
  quantitiesByIndicator,
  reportHeading,
  sourceDate,
  sourceNote,
  unfinishedSentence,
  type ReportData,
  type ReportPrerequis,
  type ReportSource,
} from './reportModel.js';

const levelClass = (level: string): string => `niveau-${slugify(level)}`;

export const reportCss = `
:root { color-scheme: light; --ink: #1a1a1a; --muted: #4a4a4a; --line: #c8c8c8; --accent: #0b5394; }
* { box-sizing: border-box; }
body { margin: 0; font-family: "DejaVu Sans", Verdana, Arial, sans-serif; color: var(--ink); background: #fff; line-height: 1.5; font-size: 1rem; overflow-wrap: break-word; }
header, main, footer { max-width: 62rem; margin: 0 auto; padding: 0 1.25rem; }
header { padding-top: 1.5rem; border-bottom: 2px solid var(--ink); padding-bottom: 1rem; }
.surtitre { margin: 0; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; font-size: .85rem; }
h1 { margin: .25rem 0 .5rem; font-size: 1.9rem; line-height: 1.2; overflow-wrap: anywhere; }
h2 { margin: 2rem 0 .75rem; font-size: 1.35rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
h3 { margin: 1.25rem 0 .5rem; font-size: 1.1rem; }
.meta { margin: 0; color: var(--muted); }
nav ul { list-style: none; padding: 0; margin: .75rem 0 0; display: flex; flex-wrap: wrap; gap: .5rem 1rem; }
a { color: var(--accent); }
a:focus-visible { outline: 3px solid var(--ink); outline-offset: 2px; }
.resultat { display: flex; flex-wrap: wrap; gap: 1rem 2.5rem; align-items: center; }
.chiffre { margin: 0; }
.chiffre strong { display: block; font-size: 2.4rem; line-height: 1.1; }
.chiffre strong.niveau-conteneur { font-size: 1.9rem; }
.niveau { display: inline-block; padding: .05rem .5rem; border: 1px solid var(--ink); border-radius: .3rem; color: #000; font-weight: bold; }
.note { border-left: 4px solid var(--accent); background: #f2f6fa; padding: .5rem .9rem; margin: 1rem 0; }
figure { margin: 1.5rem 0; }
figure svg { display: block; width: 100%; height: auto; border: 1px solid var(--line); }
.graphique-etroit { display: none; }
figcaption { color: var(--muted); font-size: .9rem; margin-top: .4rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .95rem; }
caption { text-align: left; font-weight: bold; padding: .25rem 0 .5rem; }
th, td { border: 1px solid var(--line); padding: .35rem .55rem; text-align: left; vertical-align: top; }
thead th { background: #ececec; }
tbody th { font-weight: normal; }
td.nombre, th.nombre { text-align: right; }
.insecable, .niveau-cellule { white-space: nowrap; }
th.groupe { background: #f6f6f6; font-weight: bold; }
.piste { margin: .5rem 0 .9rem; }
.piste p { margin: .2rem 0; }
.exemples { color: var(--muted); }
ol.etapes > li { margin-bottom: .75rem; }
footer { margin-top: 2.5rem; padding-top: 1rem; padding-bottom: 2rem; border-top: 1px solid var(--line); color: var(--muted); font-size: .9rem; }
${Object.entries(levelColors)
  .map(([level, color]) => `.${levelClass(level)} { background: ${color}; }`)
  .join('\n')}
@media (max-width: 60rem) {
  .graphique-large { display: none; }
  .graphique-etroit { display: block; max-width: 30rem; }
}
@media (max-width: 30rem) {
  header, main, footer { padding: 0 1rem; }
  h1 { font-size: 1.6rem; }
  .resultat { gap: .75rem 1.75rem; }
  .chiffre strong { font-size: 2rem; }
  table { font-size: .85rem; }
  th, td { padding: .3rem .35rem; }
  .niveau-cellule { display: block; }
  .separateur { display: none; }
}
@media (max-width: 22.5rem) {
  header, main, footer { padding: 0 .75rem; }
  table { font-size: .8rem; }
  th, td { padding: .25rem .25rem; }
}
@media print {
  body { font-size: 10.5pt; }
  .graphique-large { display: block; }
  .graphique-etroit { display: none; }
  header, main, footer { max-width: none; padding: 0; }
  nav { display: none; }
  a { color: inherit; text-decoration: none; }
  h2, h3 { break-after: avoid; }
  table, figure, .piste, li { break-inside: avoid; }
  figure svg { border: none; }
  .note { background: none; }
}
`;

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('base64');

/** The Content-Security-Policy of the report pages: no script at all, only this page's own stylesheet. */
export const reportCsp = [
  "default-src 'none'",
  `style-src 'sha256-${sha256(reportCss)}'`,
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface ReportLinks {
  pdf?: string;
  csv?: string;
  json?: string;
  png?: string;
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>${esc(title)}</title>
<style>${reportCss}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

const levelBadge = (level: ReportData['level']): string =>
  level ? `<span class="niveau ${levelClass(level)}">${esc(level)}</span>` : 'non évalué';

const coverageText = (c: { known: number; total: number }): string => `${c.known}${nbsp}/${nbsp}${c.total}`;

function scoreRow(header: string, p: Pick<ReportPrerequis, 'score' | 'level' | 'coverage'>): string {
  const level = p.level
    ? `<span class="niveau-cellule"><span class="separateur"> · </span>${esc(p.level)}</span>`
    : '';
  return (
    `<tr><th scope="row">${header}</th><td class="nombre"><span class="insecable">${esc(formatScore(p.score))}</span>${level}</td>` +
    `<td class="nombre">${esc(coverageText(p.coverage))}</td></tr>`
  );
}

function sourceText(source: ReportSource): string {
  const license = source.license
    ? licenseUrls[source.license]
      ? `, licence <a href="${esc(licenseUrls[source.license]!)}" rel="license">${esc(source.license)}</a>`
      : `, licence ${esc(source.license)}`
    : '';
  return `« ${esc(source.title)} », ${esc(source.publisher)}, ${esc(sourceDate(source.date))}${license}.`;
}

/** The whole report as a printable French HTML page; every stored text is escaped. */
export function renderReportHtml(
  report: ReportData,
  options: { links?: ReportLinks; generatedAt?: string } = {},
): string {
  const heading = reportHeading(report);
  const c = report.collectivite;
  const official = officialLine(report);
  const metaLine = [
    c ? c.typeLabel : undefined,
    report.scopeLabel,
    report.dateLabel,
    `${report.respondentCount} répondant${report.respondentCount > 1 ? 's' : ''}`,
  ]
    .filter(Boolean)
    .map((s) => esc(s!))
    .join(' · ');
  const links = options.links ?? {};
  const downloads = [
    links.pdf ? `<li><a href="${esc(links.pdf)}" download>Télécharger le rapport (PDF)</a></li>` : '',
    links.csv ? `<li><a href="${esc(links.csv)}" download>Les réponses (CSV, tableur)</a></li>` : '',
    links.json ? `<li><a href="${esc(links.json)}" download>Les données (JSON)</a></li>` : '',
    links.png ? `<li><a href="${esc(links.png)}" download>Le graphique (PNG)</a></li>` : '',
  ].join('');

  const s: string[] = [];
  s.push(`<header>
<p class="surtitre">${esc(report.title)}</p>
<h1>${esc(heading)}</h1>
<p class="meta">${metaLine}</p>
${official ? `<p class="meta">${esc(official)}</p>` : ''}
${c && c.traits.length > 0 ? `<p class="meta">Territoire : ${c.traits.map(esc).join(', ')}</p>` : ''}
${downloads ? `<nav aria-label="Téléchargements"><ul>${downloads}</ul></nav>` : ''}
</header>
<main>`);

  s.push(`<section aria-labelledby="resultat">
<h2 id="resultat">Résultat</h2>
<div class="resultat">
<p class="chiffre">Niveau de maturité <strong class="niveau-conteneur">${levelBadge(report.level)}</strong></p>
<p class="chiffre">Score global <strong>${esc(formatScore(report.score))}</strong></p>
<p class="chiffre">Réponses connues <strong>${esc(coverageText(report.coverage))}</strong></p>
</div>
<p>Le score repose sur ${esc(coverageSentence(report))}.</p>
${
  report.estimate
    ? `<p class="note">Ceci est une <strong>estimation</strong> : le diagnostic rapide pose une seule question clé par prérequis. Le diagnostic complet, avec tous les indicateurs, donne un résultat plus sûr.</p>`
    : ''
}
${report.cap ? `<p class="note">${esc(report.cap.reason)}</p>` : ''}
${!report.finished ? `<p class="note">${esc(unfinishedSentence(report))}</p>` : ''}
<p>Niveaux : Émergence (moins de 25 %), Structuration (25 à 50 %), Consolidation (50 à 75 %), Maturité (75 % et plus). Les réponses « Je ne sais pas » ne comptent pas dans les moyennes.</p>
</section>`);

  const chartMeta = {
    ...(c ? { collectiviteName: c.name } : {}),
    date: report.date,
    scopeLabel: report.scopeLabel,
  };
  s.push(`<figure>
<div class="graphique-large">${renderChartSvg(report, chartMeta, 'full')}</div>
<div class="graphique-etroit">${renderChartSvg(report, chartMeta, 'narrow')}</div>
<figcaption>Graphique : score de chaque enjeu (radar) et de chaque prérequis (barres), en pourcentage ; les lignes pointillées marquent les seuils de 25, 50 et 75 %.</figcaption>
</figure>`);

  s.push(`<section aria-labelledby="enjeux">
<h2 id="enjeux">Scores par enjeu</h2>
<table>
<caption>Score, niveau et réponses connues de chaque enjeu</caption>
<thead><tr><th scope="col">Enjeu</th><th scope="col" class="nombre">Score et niveau</th><th scope="col" class="nombre">Réponses connues</th></tr></thead>
<tbody>
${report.enjeux.map((e) => scoreRow(`Enjeu ${e.number} — ${esc(e.title)}`, e)).join('\n')}
</tbody>
</table>
</section>`);

  s.push(`<section aria-labelledby="prerequis">
<h2 id="prerequis">Scores par prérequis</h2>
<table>
<caption>Score, niveau et réponses connues de chaque prérequis</caption>
<thead><tr><th scope="col">Prérequis</th><th scope="col" class="nombre">Score et niveau</th><th scope="col" class="nombre">Réponses connues</th></tr></thead>
<tbody>
${report.enjeux.flatMap((e) => e.prerequis.map((p) => scoreRow(esc(prerequisLabel(p)), p))).join('\n')}
</tbody>
</table>
</section>`);

  if (report.strengths.length > 0) {
    s.push(`<section aria-labelledby="forces">
<h2 id="forces">Points forts</h2>
<ul>${report.strengths.map((p) => `<li>${esc(prerequisLabel(p))} — <strong>${esc(formatScore(p.score))}</strong></li>`).join('')}</ul>
</section>`);
  }

  if (report.priorities.length > 0) {
    s.push(`<section aria-labelledby="priorites">
<h2 id="priorites">Priorités et pistes d’action</h2>
${report.priorities
  .map(
    (p) => `<h3>${esc(prerequisLabel(p))} — ${esc(formatScore(p.score))}</h3>
${p.pistes
  .map(
    (piste) =>
      `<div class="piste"><p><strong>${esc(piste.title)}</strong></p><p>${esc(piste.text)}</p>${
        piste.examples.length > 0
          ? `<p class="exemples">Exemples : ${piste.examples.map(esc).join(', ')}</p>`
          : ''
      }</div>`,
  )
  .join('\n')}`,
  )
  .join('\n')}
</section>`);
  }

  if (report.quantities.length > 0) {
    s.push(`<section aria-labelledby="chiffres">
<h2 id="chiffres">Chiffres déclarés</h2>
<table>
<caption>Montants et nombres déclarés ${esc(declaredDates(report.quantities))}, par indicateur (non notés)</caption>
<thead><tr><th scope="col">Quantité</th><th scope="col" class="nombre">Valeur</th></tr></thead>
${quantitiesByIndicator(report.quantities)
  .map(
    (group) => `<tbody>
<tr><th scope="rowgroup" colspan="2" class="groupe">Indicateur ${group.indicator} — ${esc(group.text)}</th></tr>
${group.quantities.map((q) => `<tr><th scope="row">${esc(q.label)}</th><td class="nombre">${esc(q.formatted)}</td></tr>`).join('\n')}
</tbody>`,
  )
  .join('\n')}
</table>
</section>`);
  }

  if (report.toVerify.length > 0) {
    s.push(`<section aria-labelledby="a-verifier">
<h2 id="a-verifier">À vérifier</h2>
<p>Vous avez répondu « Je ne sais pas » à ces indicateurs : renseignez-vous, puis complétez le diagnostic.</p>
<ul>${report.toVerify.map((t) => `<li>Indicateur ${t.indicator} — ${esc(t.text)}</li>`).join('')}</ul>
</section>`);
  }

  if (report.unanswered.length > 0) {
    s.push(`<section aria-labelledby="sans-reponse">
<h2 id="sans-reponse">Sans réponse</h2>
<p>Ces indicateurs n’ont pas de réponse : ils ne comptent pas dans les scores.</p>
<ul>${report.unanswered.map((u) => `<li><strong>Indicateur ${u.indicator} : sans réponse</strong>${u.skipped ? ' (question passée)' : ''} — ${esc(u.text)}</li>`).join('')}</ul>
</section>`);
  }

  s.push(`<section aria-labelledby="etapes">
<h2 id="etapes">Prochaines étapes : votre feuille de route</h2>
<p>${esc(report.nextSteps.advice)}</p>
<ol class="etapes">
${report.nextSteps.steps
  .map(
    (step) => `<li value="${step.number}"><strong>Étape ${step.number} — ${esc(step.title)}</strong>
<p>${esc(step.summary)}</p>
<ul>${step.actions.map((a) => `<li>${esc(a)}</li>`).join('')}</ul></li>`,
  )
  .join('\n')}
</ol>
</section>`);

  if (report.arguments && report.arguments.length > 0) {
    s.push(`<section aria-labelledby="arguments">
<h2 id="arguments">Arguments pour vos élus</h2>
${report.arguments.map((a) => `<h3>${esc(a.title)}</h3><p>${esc(a.text)}</p><p class="exemples">${esc(sourceNote(a.source))}</p>`).join('\n')}
</section>`);
  }

  s.push(`</main>
<footer>
<p>Référentiel : ${sourceText(report.sources.maturity)}${
    report.sources.maturity.attribution ? ` ${esc(report.sources.maturity.attribution)}` : ''
  }</p>
<p>Méthode de la feuille de route : ${sourceText(report.sources.roadmap)}</p>
<p>${esc(report.scopeLabel)} du ${esc(report.dateLabel)}. Rapport produit par l’assistant maturité en inclusion numérique${options.generatedAt ? ` le ${esc(options.generatedAt)}` : ''}. Les personnes qui ont répondu ne sont pas nommées.</p>
</footer>`);

  return page(`${report.title} — ${heading} — ${report.dateLabel}`, s.join('\n'));
}

/** A French error page ("Rapport introuvable…") in the same look, under the same CSP. */
export function renderErrorHtml(title: string, message: string): string {
  return page(
    title,
    `<header><p class="surtitre">Rapport de maturité en inclusion numérique</p><h1>${esc(title)}</h1></header>
<main><p>${esc(message)}</p></main>`,
  );
}

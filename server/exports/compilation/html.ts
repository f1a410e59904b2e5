import { longDate, words } from '../labels.js';
import { esc } from '../xml.js';
import type { Compilation, CompilationEntry, ProposalPiece } from './model.js';

/**
 * The compilation as one print-ready HTML page: a cover, then per paragraph its amendments, each with a
 * location line and two columns ("Texte original | Amendement"), rivals framed together, sub-amendments
 * nested; a paragraph's heading never ends a page, an amendment is never split where it can be helped;
 * an index by sponsor at the end. Printing it from a browser ("Save as PDF") gives the Office's compilation.
 */
export function renderCompilationHtml(compilation: Compilation): string {
  const w = words(compilation.language);
  const c = compilation.cover;
  const body = compilation.paragraphs
    .map(
      (p) => `<section class="paragraph" id="p${esc(p.number)}">
<h2>${esc(w.paragraph)} ${esc(p.number)} <span class="section">${esc(p.sectionLabel)}</span></h2>
${p.groups.map((g, i) => group(g, compilation, i === 0)).join('\n')}
</section>`,
    )
    .join('\n');
  const outside = compilation.outside.length
    ? `<section class="paragraph"><h2>${esc(w.outside)}</h2>${compilation.outside.map((e) => entry(e, compilation)).join('\n')}</section>`
    : '';
  const empty = compilation.count === 0 ? `<p class="empty">${esc(w.noAmendments)}</p>` : '';
  const colon = compilation.language === 'fr' ? '\u00a0: ' : ': ';
  const facts = [
    c.session ? `<p class="session">${esc(c.session)}</p>` : '',
    c.date ? `<p><strong>${esc(w.date)}</strong>${colon}${esc(c.date)}</p>` : '',
    `<p><strong>${esc(w.originalLanguage)}</strong>${colon}${esc(c.originalLanguage)}</p>`,
  ].join('');
  const counts = `<table class="counts"><caption>${esc(w.byGroup)}</caption><tbody>${c.counts
    .map((g) => `<tr><th scope="row">${esc(g.group)}</th><td>${g.count}</td></tr>`)
    .join('')}<tr class="total"><th scope="row">${esc(w.total)}</th><td>${compilation.count}</td></tr></tbody></table>`;
  const index = compilation.index.length
    ? `<section class="index"><h2>${esc(w.index)}</h2><table><tbody>${compilation.index
        .map(
          (i) =>
            `<tr><th scope="row">${esc(i.sponsor)}</th><td>${i.refs.map((r) => `<a href="#${esc(anchorOf(r.ref))}">${esc(r.shown)}</a>`).join(', ')}</td></tr>`,
        )
        .join('')}</tbody></table></section>`
    : '';
  return `<!doctype html>
<html lang="${compilation.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(compilation.symbol)} — ${esc(w.compilation)}</title>
<style>${STYLE.replace('SYMBOL', cssString(compilation.symbol)).replace('PAGE', cssString(w.page))}</style>
</head>
<body>
<header class="cover">
<p class="symbol">${esc(compilation.symbol)}</p>
${facts}
<h1>${esc(compilation.title)}</h1>
<p class="title">${esc(w.compilation)}</p>
${counts}
<p class="note">${esc(w.exportedOn)} ${esc(longDate(compilation.generatedAt, compilation.language))}</p>
<button type="button" class="print" onclick="window.print()">${esc(w.print)}</button>
</header>
<main>
${empty}${body}
${outside}
${index}
</main>
</body>
</html>
`;
}

function anchorOf(ref: string): string {
  return `am-${ref.replace(/[^A-Za-z0-9-]+/g, '-')}`;
}

function cssString(value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&').replace(/[\n\r]/g, ' ')}"`;
}

/** One column of the pair: the original (`del` as the words concerned, `ins` left out) or the amendment. */
function column(pieces: ProposalPiece[], side: 'original' | 'amended'): string {
  let html = '<p>';
  for (const piece of pieces) {
    if (piece.kind === 'note') {
      html += `<sup class="fn">${esc(piece.text)}</sup>`;
      continue;
    }
    if (side === 'original' && piece.kind === 'ins') continue;
    const parts = piece.text.split('\n');
    parts.forEach((part, i) => {
      if (i > 0) html += '</p><p>';
      if (!part) return;
      if (piece.kind === 'ins') html += `<ins><b><i>${esc(part)}</i></b></ins>`;
      else if (piece.kind === 'del')
        html += side === 'original' ? `<b><i>${esc(part)}</i></b>` : `<del>${esc(part)}</del>`;
      else html += esc(part);
    });
  }
  return `${html}</p>`;
}

function group(entries: CompilationEntry[], compilation: Compilation, first: boolean): string {
  const inner = entries.map((e) => entry(e, compilation)).join('\n');
  if (entries.length < 2) return first ? `<div class="first">${inner}</div>` : inner;
  const w = words(compilation.language);
  return `<div class="alternatives${first ? ' first' : ''}"><p class="alt-label">${esc(w.alternatives)}</p>${inner}</div>`;
}

function entry(e: CompilationEntry, compilation: Compilation, level = 0): string {
  const w = words(compilation.language);
  const a = e.amendment;
  const colon = compilation.language === 'fr' ? '\u00a0: ' : ': ';
  const stances = e.stances
    .map(
      (s) =>
        `<tr><th scope="row">${esc(s.group)}</th><td>${esc(s.support.join(', ') || w.none)}</td><td>${esc(s.oppose.join(', ') || w.none)}</td></tr>`,
    )
    .join('');
  const subs = e.subAmendments.map((s) => entry(s, compilation, level + 1)).join('\n');
  return `<article class="amendment status-${esc(a.status)}${level ? ' sub' : ''}" id="${esc(anchorOf(a.ref))}">
<h3><span class="ref">${esc(e.label)}</span> <span class="location">${esc(e.location)}</span> <span class="status">${esc(e.status)}</span></h3>
<table class="columns"><thead><tr><th scope="col">${esc(w.originalText)}</th><th scope="col">${esc(w.amendment)}</th></tr></thead>
<tbody><tr><td>${column(e.pieces, 'original')}</td><td>${column(e.pieces, 'amended')}</td></tr></tbody></table>
<p class="who"><strong>${esc(w.proposedBy)}</strong> ${esc(e.sponsor)} (${esc(w.typedBy)} ${esc(a.authorName)}), ${esc(longDate(a.createdAt, compilation.language))}</p>
<p class="rationale"><strong>${esc(w.rationale)}</strong>${colon}${esc(a.rationale || w.none)}</p>
<table class="stances"><thead><tr><th></th><th scope="col">${esc(w.support)}</th><th scope="col">${esc(w.opposition)}</th></tr></thead><tbody>${stances}</tbody></table>
<p class="decision"><strong>${esc(w.decision)}</strong>${colon}${esc(e.decision ?? w.none)}</p>
${subs}
</article>`;
}

const STYLE = `
@page { size: A4; margin: 20mm 18mm 22mm; @top-right { content: SYMBOL; font: 9pt Arial, sans-serif; }
  @bottom-center { content: PAGE " " counter(page); font: 9pt Arial, sans-serif; } }
:root { color: #1b1b1f; font: 10.5pt/1.45 Arial, "Liberation Sans", Helvetica, sans-serif; }
body { max-width: 48rem; margin: 2rem auto; padding: 0 1rem; }
.cover { border-bottom: 2px solid #1f5fa8; margin-bottom: 1.5rem; }
.symbol { text-align: right; margin: 0; font-size: 9.5pt; }
/* In print the page's margin box carries the symbol on every page; on screen this line does. */
@media print { .symbol { display: none; } }
h1 { font-size: 18pt; margin: .5rem 0 .25rem; }
.title { font-size: 12pt; margin: 0 0 .5rem; }
.note { color: #5b5b66; font-size: 9pt; font-style: italic; }
.print { margin: 0 0 1rem; font: inherit; padding: .3rem .9rem; border: 1px solid #1f5fa8; background: #fff; color: #1f5fa8; border-radius: 3px; cursor: pointer; }
.paragraph { margin: 0 0 1.75rem; }
.session { font-weight: bold; margin: .25rem 0; }
.cover p { margin: .15rem 0; }
.counts { border-collapse: collapse; font-size: 9.5pt; margin: .75rem 0; }
.counts caption { text-align: left; font-weight: bold; padding-bottom: .2rem; }
.counts th, .counts td { border: 1px solid #d9dde3; padding: .1rem .5rem; text-align: left; }
.counts .total th, .counts .total td { font-weight: bold; }
h2 { font-size: 12pt; border-bottom: 1px solid #c9ced6; padding-bottom: .15rem; break-after: avoid; page-break-after: avoid; }
/* A paragraph's heading stays on the page of its first amendment. */
.first { break-before: avoid; page-break-before: avoid; }
.alternatives { border-left: 4px solid #c98a1f; padding-left: .5rem; margin: 0 0 .75rem; }
.alt-label { font-size: 9pt; font-weight: bold; color: #8a5a0f; margin: 0 0 .3rem; break-after: avoid; page-break-after: avoid; }
.columns { width: 100%; border-collapse: collapse; table-layout: fixed; margin: .3rem 0 .4rem; }
.columns th { font-size: 8.5pt; text-transform: uppercase; letter-spacing: .04em; color: #5b5b66; text-align: left; border-bottom: 1px solid #c9ced6; padding: .1rem .4rem; }
.columns td { vertical-align: top; padding: .25rem .4rem; width: 50%; }
.columns td:first-child { background: #f4f5f7; }
.columns p { margin: 0 0 .3rem; text-align: left; }
.location { font-weight: normal; }
.sub { margin: .5rem 0 0 1.25rem; border-style: dashed; }
sup.fn { font-size: 7pt; }
.index table { border-collapse: collapse; font-size: 9.5pt; }
.index th, .index td { text-align: left; padding: .1rem .6rem .1rem 0; vertical-align: top; }
h2 .section { font-weight: normal; color: #5b5b66; font-size: 9.5pt; margin-left: .5rem; }
.label { font-size: 8.5pt; text-transform: uppercase; letter-spacing: .04em; color: #5b5b66; margin-bottom: .15rem; }
.official { background: #f4f5f7; padding: .5rem .75rem; border-left: 3px solid #8a8f99; margin-bottom: .75rem; }
.official p, .proposal p, .rationale p { margin: 0 0 .3rem; text-align: justify; }
.amendment { border: 1px solid #c9ced6; border-radius: 3px; padding: .5rem .75rem; margin: 0 0 .75rem; break-inside: avoid; }
.amendment h3 { font-size: 11pt; margin: 0 0 .2rem; }
.ref { font-weight: bold; color: #1f5fa8; margin-right: .35rem; }
.status { float: right; font-size: 9pt; font-weight: normal; border: 1px solid #8a8f99; border-radius: 2px; padding: 0 .35rem; }
.status-accepted .status { border-color: #1d6b4f; color: #1d6b4f; }
.status-rejected .status, .status-withdrawn .status { border-color: #a3214a; color: #a3214a; }
.who { margin: 0 0 .4rem; color: #3d3d45; font-size: 9.5pt; }
.proposal, .rationale { margin-bottom: .4rem; }
ins { text-decoration: none; }
del { text-decoration: line-through; }
del + ins { margin-left: .25em; }
.stances { border-collapse: collapse; font-size: 9pt; margin: .25rem 0 .4rem; width: 100%; }
.stances th, .stances td { border: 1px solid #d9dde3; padding: .15rem .4rem; text-align: left; vertical-align: top; }
.stances thead th { background: #f4f5f7; }
.decision { margin: 0; font-size: 9.5pt; }
.empty { font-style: italic; }
@media print {
  body { margin: 0; max-width: none; padding: 0; }
  .print { display: none; }
  .columns td, .alternatives { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;

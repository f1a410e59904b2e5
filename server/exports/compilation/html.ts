import { longDate, words } from '../labels.js';
import { esc } from '../xml.js';
import type { Compilation, CompilationEntry, ProposalPiece } from './model.js';

/**
 * The compilation as one print-ready HTML page: A4 pages with the symbol and page numbers, one block per
 * paragraph (its text, then each amendment), never split across pages where it can be helped. Printing
 * it from a browser ("Save as PDF") gives the Office's compilation.
 */
export function renderCompilationHtml(compilation: Compilation): string {
  const w = words(compilation.language);
  const body = compilation.paragraphs
    .map(
      (p) => `<section class="paragraph" id="p${esc(p.number)}">
<h2>${esc(w.paragraph)} ${esc(p.number)} <span class="section">${esc(p.sectionLabel)}</span></h2>
<div class="official"><div class="label">${esc(w.text)}</div>${lines(p.official)}</div>
${p.entries.map((e) => entry(e, compilation)).join('\n')}
</section>`,
    )
    .join('\n');
  const outside = compilation.outside.length
    ? `<section class="paragraph"><h2>${esc(w.outside)}</h2>${compilation.outside.map((e) => entry(e, compilation)).join('\n')}</section>`
    : '';
  const empty = compilation.count === 0 ? `<p class="empty">${esc(w.noAmendments)}</p>` : '';
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
<h1>${esc(w.compilation)}</h1>
<p class="title">${esc(compilation.title)}</p>
<p class="note">${esc(w.exportedOn)} ${esc(longDate(compilation.generatedAt, compilation.language))} — ${compilation.count} ${esc(w.amendments)}</p>
<button type="button" class="print" onclick="window.print()">${esc(w.print)}</button>
</header>
<main>
${empty}${body}
${outside}
</main>
</body>
</html>
`;
}

function cssString(value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&').replace(/[\n\r]/g, ' ')}"`;
}

function lines(text: string): string {
  return text
    .split('\n')
    .map((line) => `<p>${esc(line)}</p>`)
    .join('');
}

function proposal(pieces: ProposalPiece[]): string {
  let html = '<p>';
  for (const piece of pieces) {
    const parts = piece.text.split('\n');
    parts.forEach((part, i) => {
      if (i > 0) html += '</p><p>';
      if (!part) return;
      if (piece.kind === 'ins') html += `<ins>${esc(part)}</ins>`;
      else if (piece.kind === 'del') html += `<del>${esc(part)}</del>`;
      else html += esc(part);
    });
  }
  return `${html}</p>`;
}

function entry(e: CompilationEntry, compilation: Compilation): string {
  const w = words(compilation.language);
  const a = e.amendment;
  const stances = e.stances
    .map(
      (s) =>
        `<tr><th scope="row">${esc(s.group)}</th><td>${esc(s.support.join(', ') || w.none)}</td><td>${esc(s.oppose.join(', ') || w.none)}</td></tr>`,
    )
    .join('');
  return `<article class="amendment status-${esc(a.status)}">
<h3><span class="ref">${esc(a.ref)}</span> ${esc(e.owner)} <span class="status">${esc(e.status)}</span></h3>
<p class="who">${esc(w.proposedBy)} ${esc(e.owner)} (${esc(w.typedBy)} ${esc(a.authorName)}), ${esc(longDate(a.createdAt, compilation.language))}</p>
<div class="proposal"><div class="label">${esc(w.proposal)}</div>${proposal(e.proposal)}</div>
<div class="rationale"><div class="label">${esc(w.rationale)}</div><p>${esc(a.rationale || w.none)}</p></div>
<table class="stances"><thead><tr><th></th><th scope="col">${esc(w.support)}</th><th scope="col">${esc(w.opposition)}</th></tr></thead><tbody>${stances}</tbody></table>
<p class="decision"><strong>${esc(w.decision)}${compilation.language === 'fr' ? '\u00a0:' : ':'}</strong> ${esc(e.decision ?? w.none)}</p>
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
h2 { font-size: 12pt; border-bottom: 1px solid #c9ced6; padding-bottom: .15rem; break-after: avoid; }
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
ins { color: #1d6b4f; text-decoration: underline; text-decoration-thickness: 1.5px; background: #e6f4ee; }
del { color: #a3214a; text-decoration: line-through; background: #fbeaf0; }
.stances { border-collapse: collapse; font-size: 9pt; margin: .25rem 0 .4rem; width: 100%; }
.stances th, .stances td { border: 1px solid #d9dde3; padding: .15rem .4rem; text-align: left; vertical-align: top; }
.stances thead th { background: #f4f5f7; }
.decision { margin: 0; font-size: 9.5pt; }
.empty { font-style: italic; }
@media print {
  body { margin: 0; max-width: none; padding: 0; }
  .print { display: none; }
  ins, del, .official { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;

import { longDate, words } from '../labels.js';
import { STYLE } from '../docx/parts.js';
import { DocxWriter, paragraphXml } from '../docx/writer.js';
import type { Compilation, CompilationEntry, ProposalPiece } from './model.js';

/**
 * The compilation as a Word file, laid out like the HTML page: the cover, then per paragraph its
 * amendments, each with its location line and a two-column table "Texte original | Amendement"
 * (insertions bold italic, deletions struck through — formatting, not revisions: the compilation reports
 * proposals, it does not propose them); keep-with-next holds a paragraph's heading with its first
 * amendment and an amendment's table on one page; the index by sponsor at the end.
 */
export function renderCompilationDocx(compilation: Compilation, documentLanguage: string): Uint8Array {
  const w = words(compilation.language);
  const c = compilation.cover;
  const colon = compilation.language === 'fr' ? '\u00a0: ' : ': ';
  const writer = new DocxWriter({
    language: documentLanguage,
    symbol: compilation.symbol,
    title: `${compilation.symbol} — ${w.compilation}`,
    subject: w.compilation,
    at: compilation.generatedAt,
  });
  writer.plain(STYLE.subtitle, compilation.symbol);
  if (c.session) writer.plain(STYLE.subtitle, c.session, '<w:b/>');
  if (c.date) writer.paragraph('', writer.run(w.date, '<w:b/>') + writer.run(`${colon}${c.date}`));
  writer.paragraph('', writer.run(w.originalLanguage, '<w:b/>') + writer.run(`${colon}${c.originalLanguage}`));
  writer.plain(STYLE.title, compilation.title);
  writer.plain(STYLE.subtitle, w.compilation);
  writer.paragraph('<w:keepNext/>', writer.run(w.byGroup, '<w:b/>'));
  writer.raw(
    table(
      [2600, 1200],
      [...c.counts.map((g) => [g.group, String(g.count)]), [w.total, String(compilation.count)]].map((row) =>
        row.map((text, i) => cellParagraph(writer, writer.run(text, i === 0 ? '<w:b/>' : ''))),
      ),
    ),
  );
  writer.plain(STYLE.note, `${w.exportedOn} ${longDate(compilation.generatedAt, compilation.language)}`);
  if (compilation.count === 0) writer.plain('Normal', w.noAmendments, '<w:i/>');
  for (const p of compilation.paragraphs) {
    writer.paragraph(
      `<w:pStyle w:val="${STYLE.heading(2)}"/><w:keepNext/>`,
      writer.run(`${w.paragraph} ${p.number}`) +
        writer.run(`  ${p.sectionLabel}`, '<w:b w:val="0"/><w:color w:val="5B5B66"/><w:sz w:val="18"/>'),
    );
    for (const group of p.groups) {
      if (group.length > 1) {
        writer.paragraph(
          '<w:keepNext/><w:pBdr><w:left w:val="single" w:sz="24" w:space="4" w:color="C98A1F"/></w:pBdr>',
          writer.run(w.alternatives, '<w:b/><w:color w:val="8A5A0F"/><w:sz w:val="18"/>'),
        );
      }
      for (const entry of group) amendment(writer, entry, compilation, 0);
    }
  }
  if (compilation.outside.length > 0) {
    writer.plain(STYLE.heading(2), w.outside);
    for (const entry of compilation.outside) amendment(writer, entry, compilation, 0);
  }
  if (compilation.index.length > 0) {
    writer.paragraph(`<w:pStyle w:val="${STYLE.heading(2)}"/><w:pageBreakBefore/>`, writer.run(w.index));
    writer.raw(
      table(
        [3600, 6000],
        compilation.index.map((i) => [
          cellParagraph(writer, writer.run(i.sponsor, '<w:b/>')),
          cellParagraph(writer, writer.run(i.refs.map((r) => r.shown).join(', '))),
        ]),
      ),
    );
  }
  return writer.toDocx();
}

const SMALL = '<w:sz w:val="19"/><w:szCs w:val="19"/>';

function cellParagraph(writer: DocxWriter, runs: string, keepNext = true): string {
  return paragraphXml(
    `${keepNext ? '<w:keepNext/>' : ''}<w:spacing w:after="0"/><w:jc w:val="left"/>`,
    runs || writer.run(''),
  );
}

function cell(content: string, width: number, fill = ''): string {
  const shade = fill ? `<w:shd w:val="clear" w:color="auto" w:fill="${fill}"/>` : '';
  return `<w:tc><w:tcPr><w:tcW w:w="${width}" w:type="dxa"/>${shade}</w:tcPr>${content}</w:tc>`;
}

/** A bordered table whose rows never split across pages; `rows` hold each cell's paragraphs. */
function table(widths: number[], rows: string[][], fills: string[] = [], indent = 170): string {
  const border = (side: string) => `<w:${side} w:val="single" w:sz="4" w:space="0" w:color="C9CED6"/>`;
  const total = widths.reduce((x, y) => x + y, 0);
  return (
    `<w:tbl><w:tblPr><w:tblW w:w="${total}" w:type="dxa"/><w:tblInd w:w="${indent}" w:type="dxa"/><w:tblBorders>${['top', 'left', 'bottom', 'right', 'insideH', 'insideV'].map(border).join('')}</w:tblBorders>` +
    '<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="80" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar></w:tblPr>' +
    `<w:tblGrid>${widths.map((x) => `<w:gridCol w:w="${x}"/>`).join('')}</w:tblGrid>` +
    rows
      .map(
        (row) =>
          `<w:tr><w:trPr><w:cantSplit/></w:trPr>${row.map((content, i) => cell(content, widths[i] ?? 2000, fills[i] ?? '')).join('')}</w:tr>`,
      )
      .join('') +
    '</w:tbl>'
  );
}

/** One column's paragraphs: the original (`del` as the words concerned, `ins` left out) or the amendment. */
function column(writer: DocxWriter, pieces: ProposalPiece[], side: 'original' | 'amended'): string {
  const paragraphs: string[] = [];
  let runs = '';
  const flush = () => {
    paragraphs.push(cellParagraph(writer, runs));
    runs = '';
  };
  for (const piece of pieces) {
    if (piece.kind === 'note') {
      runs += writer.run(piece.text, `<w:vertAlign w:val="superscript"/>${SMALL}`);
      continue;
    }
    if (side === 'original' && piece.kind === 'ins') continue;
    piece.text.split('\n').forEach((part, i) => {
      if (i > 0) flush();
      if (!part) return;
      if (piece.kind === 'ins') runs += writer.run(part, `<w:b/><w:i/>${SMALL}`);
      else if (piece.kind === 'del')
        runs += writer.run(part, side === 'original' ? `<w:b/><w:i/>${SMALL}` : `<w:strike/>${SMALL}`);
      else runs += writer.run(part, SMALL);
    });
  }
  flush();
  return paragraphs.join('');
}

function amendment(writer: DocxWriter, e: CompilationEntry, compilation: Compilation, level: number): void {
  const w = words(compilation.language);
  const a = e.amendment;
  const colon = compilation.language === 'fr' ? '\u00a0: ' : ': ';
  const indent = 170 + level * 567;
  const width = 9600 - level * 567;
  writer.paragraph(
    `<w:pStyle w:val="${STYLE.heading(3)}"/><w:keepNext/><w:ind w:left="${indent}"/>`,
    writer.run(`${e.label}  `, '<w:color w:val="1F5FA8"/>') +
      writer.run(`${e.location} — ${e.status}`, '<w:b w:val="0"/>'),
  );
  const half = Math.floor(width / 2);
  const header = (text: string) =>
    cellParagraph(writer, writer.run(text.toUpperCase(), '<w:color w:val="5B5B66"/><w:sz w:val="16"/>'));
  writer.raw(
    table(
      [half, half],
      [
        [header(w.originalText), header(w.amendment)],
        [column(writer, e.pieces, 'original'), column(writer, e.pieces, 'amended')],
      ],
      ['F4F5F7', ''],
      indent,
    ),
  );
  const meta = `<w:pStyle w:val="${STYLE.compilationMeta}"/><w:keepNext/><w:ind w:left="${indent}"/>`;
  writer.paragraph(
    meta,
    writer.run(`${w.proposedBy} `, '<w:b/>') +
      writer.run(`${e.sponsor} (${w.typedBy} ${a.authorName}), ${longDate(a.createdAt, compilation.language)}`),
  );
  writer.paragraph(meta, writer.run(w.rationale, '<w:b/>') + writer.run(`${colon}${a.rationale || w.none}`));
  const p = (text: string, bold = false) =>
    cellParagraph(writer, writer.run(text, `${bold ? '<w:b/>' : ''}<w:sz w:val="18"/><w:szCs w:val="18"/>`));
  const third = Math.floor(width / 3);
  writer.raw(
    table(
      [third, third, third],
      [
        [p(''), p(w.support, true), p(w.opposition, true)],
        ...e.stances.map((s) => [
          p(s.group, true),
          p(s.support.join(', ') || w.none),
          p(s.oppose.join(', ') || w.none),
        ]),
      ],
      ['F4F5F7'],
      indent,
    ),
  );
  writer.paragraph(
    `<w:spacing w:before="80" w:after="240"/><w:ind w:left="${indent}"/>`,
    writer.run(w.decision, '<w:b/>') + writer.run(`${colon}${e.decision ?? w.none}`),
  );
  for (const sub of e.subAmendments) amendment(writer, sub, compilation, level + 1);
}

import { longDate, words } from '../labels.js';
import { STYLE } from '../docx/parts.js';
import { DocxWriter, paragraphXml } from '../docx/writer.js';
import type { Compilation, CompilationEntry, ProposalPiece } from './model.js';

/**
 * The compilation as a Word file, laid out like the HTML page. Insertions and deletions of a proposal
 * are formatting here (underlined, struck through), not revisions: the compilation reports proposals, it
 * does not propose them.
 */
export function renderCompilationDocx(compilation: Compilation, documentLanguage: string): Uint8Array {
  const w = words(compilation.language);
  const writer = new DocxWriter({
    language: documentLanguage,
    symbol: compilation.symbol,
    title: `${compilation.symbol} — ${w.compilation}`,
    subject: w.compilation,
    at: compilation.generatedAt,
  });
  writer.plain(STYLE.subtitle, compilation.symbol);
  writer.plain(STYLE.title, w.compilation);
  writer.plain(STYLE.subtitle, compilation.title);
  writer.plain(
    STYLE.note,
    `${w.exportedOn} ${longDate(compilation.generatedAt, compilation.language)} — ${compilation.count} ${w.amendments}`,
  );
  if (compilation.count === 0) writer.plain('Normal', w.noAmendments, '<w:i/>');
  for (const p of compilation.paragraphs) {
    writer.paragraph(
      `<w:pStyle w:val="${STYLE.heading(2)}"/>`,
      writer.run(`${w.paragraph} ${p.number}`) +
        writer.run(`  ${p.sectionLabel}`, '<w:b w:val="0"/><w:color w:val="5B5B66"/><w:sz w:val="18"/>'),
    );
    label(writer, w.text);
    for (const line of p.official.split('\n')) {
      writer.paragraph('<w:shd w:val="clear" w:color="auto" w:fill="F4F5F7"/><w:ind w:left="170"/>', writer.run(line));
    }
    for (const entry of p.entries) amendment(writer, entry, compilation);
  }
  if (compilation.outside.length > 0) {
    writer.plain(STYLE.heading(2), w.outside);
    for (const entry of compilation.outside) amendment(writer, entry, compilation);
  }
  return writer.toDocx();
}

function label(writer: DocxWriter, text: string): void {
  writer.paragraph(
    '<w:keepNext/><w:spacing w:before="60" w:after="20"/>',
    writer.run(text.toUpperCase(), '<w:color w:val="5B5B66"/><w:sz w:val="16"/>'),
  );
}

function proposalParagraphs(writer: DocxWriter, pieces: ProposalPiece[]): void {
  let runs = '';
  const flush = () => {
    writer.paragraph('<w:ind w:left="170"/>', runs);
    runs = '';
  };
  for (const piece of pieces) {
    piece.text.split('\n').forEach((part, i) => {
      if (i > 0) flush();
      if (!part) return;
      if (piece.kind === 'ins') runs += writer.run(part, '<w:color w:val="1D6B4F"/><w:u w:val="single"/>');
      else if (piece.kind === 'del') runs += writer.run(part, '<w:strike/><w:color w:val="A3214A"/>');
      else runs += writer.run(part);
    });
  }
  flush();
}

function cell(content: string, width: number, header = false): string {
  const shade = header ? '<w:shd w:val="clear" w:color="auto" w:fill="F4F5F7"/>' : '';
  return `<w:tc><w:tcPr><w:tcW w:w="${width}" w:type="dxa"/>${shade}</w:tcPr>${content}</w:tc>`;
}

function amendment(writer: DocxWriter, e: CompilationEntry, compilation: Compilation): void {
  const w = words(compilation.language);
  const a = e.amendment;
  writer.paragraph(
    `<w:pStyle w:val="${STYLE.heading(3)}"/>`,
    writer.run(`${a.ref}  `, '<w:color w:val="1F5FA8"/>') + writer.run(`${e.owner} — ${e.status}`),
  );
  writer.paragraph(
    `<w:pStyle w:val="${STYLE.compilationMeta}"/>`,
    writer.run(
      `${w.proposedBy} ${e.owner} (${w.typedBy} ${a.authorName}), ${longDate(a.createdAt, compilation.language)}`,
    ),
  );
  label(writer, w.proposal);
  proposalParagraphs(writer, e.proposal);
  label(writer, w.rationale);
  writer.paragraph('<w:ind w:left="170"/>', writer.run(a.rationale || w.none));
  const small = '<w:sz w:val="18"/><w:szCs w:val="18"/>';
  const p = (text: string, bold = false) =>
    paragraphXml('<w:spacing w:after="0"/><w:jc w:val="left"/>', writer.run(text, `${bold ? '<w:b/>' : ''}${small}`));
  const rows = [
    `<w:tr>${cell(p(''), 2600, true)}${cell(p(w.support, true), 3500, true)}${cell(p(w.opposition, true), 3500, true)}</w:tr>`,
    ...e.stances.map(
      (s) =>
        `<w:tr>${cell(p(s.group, true), 2600)}${cell(p(s.support.join(', ') || w.none), 3500)}${cell(p(s.oppose.join(', ') || w.none), 3500)}</w:tr>`,
    ),
  ];
  const border = (side: string) => `<w:${side} w:val="single" w:sz="4" w:space="0" w:color="C9CED6"/>`;
  writer.raw(
    `<w:tbl><w:tblPr><w:tblW w:w="9600" w:type="dxa"/><w:tblInd w:w="170" w:type="dxa"/><w:tblBorders>${['top', 'left', 'bottom', 'right', 'insideH', 'insideV'].map(border).join('')}</w:tblBorders>` +
      '<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="80" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar></w:tblPr>' +
      `<w:tblGrid><w:gridCol w:w="2600"/><w:gridCol w:w="3500"/><w:gridCol w:w="3500"/></w:tblGrid>${rows.join('')}</w:tbl>`,
  );
  writer.paragraph(
    '<w:spacing w:before="80" w:after="240"/><w:ind w:left="170"/>',
    writer.run(`${w.decision}${compilation.language === 'fr' ? '\u00a0:' : ':'} `, '<w:b/>') +
      writer.run(e.decision ?? w.none),
  );
}

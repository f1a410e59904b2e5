import { esc, isoSeconds } from '../xml.js';

/**
 * The fixed parts of a WordprocessingML package: content types, relationships, styles (headings,
 * numbered paragraphs, bullets, the box, footnotes, comments), the bullet numbering, settings, the
 * header with the symbol and the footer with the page number.
 */

export const W_NS =
  'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ' +
  'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ' +
  'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" ' +
  'xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml" ' +
  'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="w14 w15"';

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

export function contentTypes(): string {
  const override = (part: string, type: string) =>
    `<Override PartName="${part}" ContentType="application/vnd.openxmlformats-officedocument.${type}"/>`;
  return (
    `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    override('/word/document.xml', 'wordprocessingml.document.main+xml') +
    override('/word/styles.xml', 'wordprocessingml.styles+xml') +
    override('/word/numbering.xml', 'wordprocessingml.numbering+xml') +
    override('/word/settings.xml', 'wordprocessingml.settings+xml') +
    override('/word/footnotes.xml', 'wordprocessingml.footnotes+xml') +
    override('/word/comments.xml', 'wordprocessingml.comments+xml') +
    '<Override PartName="/word/commentsExtended.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml"/>' +
    override('/word/header1.xml', 'wordprocessingml.header+xml') +
    override('/word/footer1.xml', 'wordprocessingml.footer+xml') +
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
    override('/docProps/app.xml', 'extended-properties+xml') +
    '</Types>'
  );
}

export function packageRels(): string {
  return (
    `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>' +
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>' +
    '</Relationships>'
  );
}

export function documentRels(): string {
  const rel = (id: string, type: string, target: string) =>
    `<Relationship Id="${id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/${type}" Target="${target}"/>`;
  return (
    `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
    rel('rId1', 'styles', 'styles.xml') +
    rel('rId2', 'numbering', 'numbering.xml') +
    rel('rId3', 'settings', 'settings.xml') +
    rel('rId4', 'footnotes', 'footnotes.xml') +
    rel('rId5', 'comments', 'comments.xml') +
    '<Relationship Id="rId6" Type="http://schemas.microsoft.com/office/2011/relationships/commentsExtended" Target="commentsExtended.xml"/>' +
    rel('rId7', 'header', 'header1.xml') +
    rel('rId8', 'footer', 'footer1.xml') +
    '</Relationships>'
  );
}

export function coreProperties(title: string, subject: string, at: number): string {
  const when = isoSeconds(at);
  return (
    `${XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ' +
    'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:title>${esc(title)}</dc:title><dc:subject>${esc(subject)}</dc:subject><dc:creator>Concord</dc:creator>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${when}</dcterms:created>` +
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${when}</dcterms:modified>` +
    '</cp:coreProperties>'
  );
}

export function appProperties(): string {
  return (
    `${XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">` +
    '<Application>Concord</Application></Properties>'
  );
}

/** Settings: tracking stays on, so what a delegate changes in the file comes back as revisions. */
export function settings(language: string): string {
  return (
    `${XML_HEAD}<w:settings ${W_NS}><w:trackRevisions/><w:defaultTabStop w:val="567"/>` +
    '<w:characterSpacingControl w:val="doNotCompress"/>' +
    '<w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>' +
    '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>' +
    `<w:themeFontLang w:val="${esc(wordLanguage(language))}"/>` +
    '</w:settings>'
  );
}

export function wordLanguage(language: string): string {
  if (language === 'fr') return 'fr-FR';
  if (language === 'es') return 'es-ES';
  return 'en-GB';
}

/** Style ids used by the document writer. */
export const STYLE = {
  title: 'Title',
  subtitle: 'Subtitle',
  note: 'ExportNote',
  heading: (level: number) => `Heading${Math.min(Math.max(level, 1), 4)}`,
  numbered: 'NumberedPara',
  numberedCont: 'NumberedParaCont',
  bullet: 'ListBullet',
  bullet2: 'ListBullet2',
  box: 'BoxText',
  boxTitle: 'BoxTitle',
  figureTitle: 'FigureTitle',
  footnoteText: 'FootnoteText',
  footnoteRef: 'FootnoteReference',
  commentText: 'CommentText',
  commentRef: 'CommentReference',
  compilationMeta: 'CompilationMeta',
} as const;

/** The bullet list numbering id (numbering.xml). */
export const BULLET_NUM_ID = 1;

function paragraphStyle(id: string, name: string, pPr: string, rPr = '', extra = ''): string {
  return (
    `<w:style w:type="paragraph" w:customStyle="1" w:styleId="${id}"><w:name w:val="${name}"/>` +
    `<w:basedOn w:val="Normal"/>${extra}<w:qFormat/><w:pPr>${pPr}</w:pPr>${rPr ? `<w:rPr>${rPr}</w:rPr>` : ''}</w:style>`
  );
}

function heading(level: number, size: number): string {
  return (
    `<w:style w:type="paragraph" w:styleId="Heading${level}"><w:name w:val="heading ${level}"/>` +
    '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:qFormat/>' +
    `<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="${level === 1 ? 360 : 240}" w:after="120"/><w:outlineLvl w:val="${level - 1}"/></w:pPr>` +
    `<w:rPr><w:b/><w:sz w:val="${size}"/><w:szCs w:val="${size}"/></w:rPr></w:style>`
  );
}

export const BOX_BORDERS =
  '<w:pBdr><w:top w:val="single" w:sz="6" w:space="4" w:color="1F5FA8"/><w:left w:val="single" w:sz="6" w:space="4" w:color="1F5FA8"/>' +
  '<w:bottom w:val="single" w:sz="6" w:space="4" w:color="1F5FA8"/><w:right w:val="single" w:sz="6" w:space="4" w:color="1F5FA8"/></w:pBdr>' +
  '<w:shd w:val="clear" w:color="auto" w:fill="EEF3FA"/>';

const BOX_IND = '<w:ind w:left="170" w:right="170"/>';

/** Box paragraphs share the same borders, so Word and LibreOffice draw one frame around them. */
export const BOX_PPR = `${BOX_BORDERS}${BOX_IND}`;

/** Bullets in the box: the same frame, the bullet hanging inside it. */
export const BOX_BULLET_PPR = `${BOX_BORDERS}<w:ind w:left="595" w:right="170" w:hanging="425"/>`;

export function styles(language: string): string {
  const lang = esc(wordLanguage(language));
  return (
    `${XML_HEAD}<w:styles ${W_NS}>` +
    '<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial"/>' +
    `<w:sz w:val="21"/><w:szCs w:val="21"/><w:lang w:val="${lang}" w:eastAsia="${lang}" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>` +
    '<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>' +
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>' +
    '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>' +
    paragraphStyle(
      STYLE.title,
      'Title',
      '<w:spacing w:after="60"/><w:jc w:val="left"/>',
      '<w:b/><w:sz w:val="32"/><w:szCs w:val="32"/>',
    ) +
    paragraphStyle(
      STYLE.subtitle,
      'Subtitle',
      '<w:spacing w:after="60"/><w:jc w:val="left"/>',
      '<w:sz w:val="24"/><w:szCs w:val="24"/>',
    ) +
    paragraphStyle(
      STYLE.note,
      'Export note',
      '<w:spacing w:after="240"/><w:jc w:val="left"/>',
      '<w:i/><w:color w:val="5B5B66"/><w:sz w:val="18"/><w:szCs w:val="18"/>',
    ) +
    heading(1, 28) +
    heading(2, 24) +
    heading(3, 22) +
    heading(4, 21) +
    paragraphStyle(
      STYLE.numbered,
      'Numbered paragraph',
      '<w:tabs><w:tab w:val="left" w:pos="567"/></w:tabs><w:ind w:left="567" w:hanging="567"/>',
    ) +
    paragraphStyle(STYLE.numberedCont, 'Numbered paragraph continued', '<w:ind w:left="567"/>') +
    paragraphStyle(
      STYLE.bullet,
      'List Bullet',
      `<w:numPr><w:ilvl w:val="0"/><w:numId w:val="${BULLET_NUM_ID}"/></w:numPr><w:spacing w:after="60"/><w:ind w:left="992" w:hanging="425"/>`,
    ) +
    paragraphStyle(
      STYLE.bullet2,
      'List Bullet 2',
      `<w:numPr><w:ilvl w:val="1"/><w:numId w:val="${BULLET_NUM_ID}"/></w:numPr><w:spacing w:after="60"/><w:ind w:left="1417" w:hanging="425"/>`,
    ) +
    paragraphStyle(STYLE.box, 'Box text', `${BOX_BORDERS}<w:spacing w:after="0"/>${BOX_IND}`) +
    paragraphStyle(
      STYLE.boxTitle,
      'Box title',
      `<w:keepNext/>${BOX_BORDERS}<w:spacing w:before="240" w:after="0"/>${BOX_IND}<w:jc w:val="left"/>`,
      '<w:b/>',
    ) +
    paragraphStyle(
      STYLE.figureTitle,
      'Figure title',
      '<w:keepNext/><w:spacing w:before="240"/><w:jc w:val="center"/>',
      '<w:b/>',
    ) +
    paragraphStyle(
      STYLE.compilationMeta,
      'Compilation details',
      '<w:spacing w:after="40"/><w:ind w:left="567"/><w:jc w:val="left"/>',
      '<w:sz w:val="19"/><w:szCs w:val="19"/>',
    ) +
    paragraphStyle(
      STYLE.footnoteText,
      'footnote text',
      '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/>',
      '<w:sz w:val="18"/><w:szCs w:val="18"/>',
    ) +
    paragraphStyle(
      STYLE.commentText,
      'annotation text',
      '<w:spacing w:after="0"/><w:jc w:val="left"/>',
      '<w:sz w:val="20"/><w:szCs w:val="20"/>',
    ) +
    '<w:style w:type="paragraph" w:styleId="Header"><w:name w:val="header"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="right"/><w:spacing w:after="0"/></w:pPr><w:rPr><w:sz w:val="18"/></w:rPr></w:style>' +
    '<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="center"/><w:spacing w:after="0"/></w:pPr><w:rPr><w:sz w:val="18"/></w:rPr></w:style>' +
    `<w:style w:type="character" w:styleId="${STYLE.footnoteRef}"><w:name w:val="footnote reference"/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>` +
    `<w:style w:type="character" w:styleId="${STYLE.commentRef}"><w:name w:val="annotation reference"/><w:rPr><w:sz w:val="16"/></w:rPr></w:style>` +
    '</w:styles>'
  );
}

export function numbering(): string {
  const level = (ilvl: number, text: string, left: number) =>
    `<w:lvl w:ilvl="${ilvl}"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="${text}"/><w:lvlJc w:val="left"/>` +
    `<w:pPr><w:ind w:left="${left}" w:hanging="425"/></w:pPr><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial"/></w:rPr></w:lvl>`;
  return (
    `${XML_HEAD}<w:numbering ${W_NS}><w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="hybridMultilevel"/>` +
    level(0, '•', 992) +
    level(1, '–', 1417) +
    level(2, '•', 1842) +
    `</w:abstractNum><w:num w:numId="${BULLET_NUM_ID}"><w:abstractNumId w:val="0"/></w:num></w:numbering>`
  );
}

export function header(symbol: string): string {
  return `${XML_HEAD}<w:hdr ${W_NS}><w:p><w:pPr><w:pStyle w:val="Header"/></w:pPr><w:r><w:t>${esc(symbol)}</w:t></w:r></w:p></w:hdr>`;
}

export function footer(): string {
  return (
    `${XML_HEAD}<w:ftr ${W_NS}><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>` +
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>' +
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:ftr>'
  );
}

/** The body's section properties: A4, 2 cm margins, the header and footer. */
export const SECTION_PROPERTIES =
  '<w:sectPr><w:headerReference w:type="default" r:id="rId7"/><w:footerReference w:type="default" r:id="rId8"/>' +
  '<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr>';

export { XML_HEAD };

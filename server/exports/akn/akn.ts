import type { Amendment } from '../../../shared/amendments.js';
import type { SectionMeta } from '../../../shared/document.js';
import { GAP } from '../../amendments/derive.js';
import { publishedAmendments } from '../../policies/exports.js';
import { exportLanguage, ownerName, phrases, statusName } from '../labels.js';
import { type References, referencesFor } from '../references.js';
import type { Block, ExportSource, Inline, SectionModel, SectionNode } from '../model.js';
import { officialOf, paragraphPieces, spanOf } from '../compilation/pieces.js';
import { esc, isoDay, isoSeconds } from '../xml.js';

/**
 * Akoma Ntoso 3.0 (OASIS LegalDocML) export: `akomaNtoso/doc` holds the official text — one
 * `hcontainer` per section, nested as in the outline, one `paragraph` per numbered paragraph with its
 * `num` and eId `para_27` — and, as its component, an `amendmentList` with one `amendment` per tabled
 * amendment: its heading, the proposed modification (`mod` with the old and new words, referring to the
 * paragraph's eId), the justification, and an active modification in its analysis pointing at the same
 * eId. Status and support live in a `proprietary` block of Concord's own namespace.
 */

export const AKN_NS = 'http://docs.oasis-open.org/legaldocml/ns/akn/3.0';
export const CONCORD_NS = 'urn:concord:akn:1.0';

/** The eId of a numbered paragraph: `para_27`. */
export function paragraphEid(number: string | number): string {
  return `para_${String(number).replace(/[^A-Za-z0-9]/g, '')}`;
}

function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'x';
}

interface Context {
  workUri: string;
  country: string;
  language: string;
  notes: number;
}

/** A FRBR date: `name` says what the date is (`document`, `import`, `generation`). */
interface FrbrDate {
  date: string;
  name: string;
}

function frbr(
  kind: 'Work' | 'Expression' | 'Manifestation',
  uri: string,
  date: FrbrDate,
  extra: string,
  prefix: string,
): string {
  return (
    `<FRBR${kind}><FRBRthis value="${esc(uri)}/!main"/><FRBRuri value="${esc(uri)}"/>` +
    `<FRBRdate date="${date.date}" name="${esc(date.name)}"/>` +
    `<FRBRauthor href="#${prefix}office"/>${extra}</FRBR${kind}>`
  );
}

/**
 * The FRBR identification and the references it points to. Every document of the file (the doc, the
 * list, each amendment) has its own, with eIds prefixed so that eIds stay unique in the whole file.
 */
function identification(workUri: string, language: string, dates: Dates, prefix: string): string {
  const expression = `${workUri}/${language}@${dates.document.date}`;
  return (
    `<identification source="#${prefix}concord">` +
    frbr('Work', workUri, dates.document, '<FRBRcountry value="un"/>', prefix) +
    frbr('Expression', expression, dates.document, `<FRBRlanguage language="${esc(iso6392(language))}"/>`, prefix) +
    // The manifestation is this file: the only date that is the export's.
    frbr('Manifestation', `${expression}.akn`, dates.generated, '', prefix) +
    '</identification>'
  );
}

/**
 * The references of a document of the file; an amendment's also name its proponent and co-sponsors, one
 * `<TLCOrganization>` per group, State (`…/ilo.gb.government.za`) or regional group (`…/ilo.gb.region.africa`).
 */
function references(prefix: string, owners: readonly { key: string; name: string }[] = []): string {
  const organizations = owners
    .map(
      (o, i) =>
        `<TLCOrganization eId="${prefix}org_${i + 1}" href="/akn/ontology/organizations/int/ilo.gb.${esc(ownerSlug(o.key))}" showAs="${esc(o.name)}"/>`,
    )
    .join('');
  return (
    `<references source="#${prefix}concord">` +
    `<TLCOrganization eId="${prefix}office" href="/akn/ontology/organizations/int/ilo.office" showAs="International Labour Office"/>` +
    `<TLCOrganization eId="${prefix}concord" href="/akn/ontology/organizations/int/concord" showAs="Concord"/>` +
    organizations +
    '</references>'
  );
}

/** An owner key as a path segment: `government:ZA` → `government.za`, `region:AFRICA` → `region.africa`. */
function ownerSlug(ownerKey: string): string {
  return ownerKey
    .toLowerCase()
    .replace(/:/g, '.')
    .replace(/[^a-z0-9._-]+/g, '-');
}

/** ISO 639-2 codes, as FRBRlanguage wants them. */
function iso6392(language: string): string {
  return ({ fr: 'fra', en: 'eng', es: 'spa' } as Record<string, string>)[language] ?? language;
}

/** The work and expression carry the document's date; only the manifestation (this file) the export's. */
interface Dates {
  document: FrbrDate;
  generated: FrbrDate;
}

function datesOf(source: ExportSource): Dates {
  const own = source.outline.date;
  return {
    document: own ? { date: own.value, name: own.name } : { date: '9999-01-01', name: 'unknown' },
    generated: { date: isoDay(source.generatedAt), name: 'generation' },
  };
}

export function renderAkn(source: ExportSource): string {
  const { outline } = source;
  const date = datesOf(source);
  const workUri = `/akn/int/doc/ilo-gb/${date.document.date.slice(0, 4)}/${slug(outline.symbol)}`;
  const ctx: Context = { workUri, country: 'un', language: outline.language, notes: 0 };
  const body = renderSections(source.sections, ctx);
  const amendments = renderAmendmentList(source, ctx);
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<akomaNtoso xmlns="${AKN_NS}" xmlns:concord="${CONCORD_NS}">` +
    `<doc name="${esc(slug(outline.symbol))}">` +
    `<meta>${identification(workUri, outline.language, date, '')}${references('')}</meta>` +
    `<preface><p class="symbol"><docNumber>${esc(outline.symbol)}</docNumber></p><p class="title"><docTitle>${esc(outline.title)}</docTitle></p></preface>` +
    `<mainBody>${body || '<p/>'}</mainBody>` +
    `<components><component eId="cmp_amendments">${amendments}</component></components>` +
    '</doc></akomaNtoso>\n'
  );
}

/** Sections nested as in the outline (a section's children follow it). */
function renderSections(sections: SectionModel[], ctx: Context): string {
  const children = new Map<string | null, SectionModel[]>();
  const ids = new Set(sections.map((s) => s.meta.id));
  for (const section of sections) {
    const parent = section.meta.parentId && ids.has(section.meta.parentId) ? section.meta.parentId : null;
    const list = children.get(parent) ?? [];
    list.push(section);
    children.set(parent, list);
  }
  const render = (section: SectionModel): string => {
    const inner = renderNodes(section, ctx) + (children.get(section.meta.id) ?? []).map(render).join('');
    return (
      `<hcontainer name="${esc(section.meta.kind)}" eId="sec_${esc(section.meta.id)}">` +
      `<num>${esc(section.meta.label)}</num><heading>${esc(section.meta.title)}</heading>` +
      `${inner || '<content><p/></content>'}</hcontainer>`
    );
  };
  return (children.get(null) ?? []).map(render).join('');
}

/**
 * The nodes of a section as hierarchy: numbered paragraphs as `paragraph`; a sub-heading opens an
 * `hcontainer` holding what follows it; the box, the figure and loose blocks are `hcontainer`s with
 * content. The section's own first heading repeats its label and title, so it is left out.
 */
function renderNodes(section: SectionModel, ctx: Context): string {
  const nodes = [...section.nodes];
  if (nodes[0]?.type === 'heading') nodes.shift();
  const prefix = `sec_${section.meta.id}`;
  let out = '';
  let open = false;
  let counter = 0;
  for (const node of nodes) {
    if (node.type === 'heading') {
      if (open) out += '</hcontainer>';
      counter++;
      out += `<hcontainer name="subheading" eId="${esc(prefix)}__hcontainer_${counter}"><heading>${inlines(node.inlines, ctx, '')}</heading>`;
      open = true;
      continue;
    }
    counter++;
    out += renderNode(node, ctx, `${prefix}__hcontainer_${counter}`);
  }
  if (open) out += '</hcontainer>';
  // A sub-heading with nothing under it still needs content to be valid.
  return out.replace(/(<\/heading>)(<\/hcontainer>)/g, '$1<content><p/></content>$2');
}

function renderNode(node: Exclude<SectionNode, { type: 'heading' }>, ctx: Context, eId: string): string {
  switch (node.type) {
    case 'numbered': {
      if (node.proposed) return '';
      const id = paragraphEid(node.number);
      return `<paragraph eId="${id}"><num>${esc(node.number)}.</num><content>${blocks(node.blocks, ctx, id) || '<p/>'}</content></paragraph>`;
    }
    case 'box':
      return (
        `<hcontainer name="box" eId="${esc(eId)}">${node.title ? `<heading>${esc(node.title)}</heading>` : ''}` +
        `<content>${blocks(node.blocks, ctx, eId) || '<p/>'}</content></hcontainer>`
      );
    case 'figure':
      return (
        `<hcontainer name="figure" eId="${esc(eId)}"><heading>${esc(node.title)}</heading><content>` +
        (node.groups.length
          ? `<ul>${node.groups.map((g) => `<li>${esc(g.heading)}${g.items.length ? `<ul>${g.items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>` : ''}</li>`).join('')}</ul>`
          : '<p/>') +
        `${node.note ? `<p>${esc(node.note)}</p>` : ''}</content></hcontainer>`
      );
    default:
      return `<hcontainer name="text" eId="${esc(eId)}"><content>${blocks([node], ctx, eId) || '<p/>'}</content></hcontainer>`;
  }
}

function blocks(list: Block[], ctx: Context, owner: string): string {
  return list
    .map((block) => {
      if (block.type === 'paragraph') return `<p>${inlines(block.inlines, ctx, owner)}</p>`;
      const items = block.items.map(
        (item) =>
          `<li>${item.map((b) => (b.type === 'paragraph' ? inlines(b.inlines, ctx, owner) : blocks([b], ctx, owner))).join('')}</li>`,
      );
      return `<ul>${items.join('')}</ul>`;
    })
    .join('');
}

/** Official text of inline runs, with footnotes as authorial notes. */
function inlines(list: Inline[], ctx: Context, owner: string): string {
  let out = '';
  for (const inline of list) {
    if (inline.type === 'text') {
      if (inline.change?.kind === 'ins') continue;
      let text = esc(inline.text);
      if (inline.italic) text = `<i>${text}</i>`;
      if (inline.bold) text = `<b>${text}</b>`;
      out += text;
    } else if (inline.type === 'break') out += '<br/>';
    else if (inline.type === 'footnote') {
      ctx.notes++;
      out += `<authorialNote marker="${esc(inline.marker)}" placement="bottom" eId="${esc(owner || 'doc')}__authorialNote_${ctx.notes}"><p>${esc(inline.text)}</p></authorialNote>`;
    }
  }
  return out;
}

const MOD_TYPES: Record<string, string> = {
  insert: 'insertion',
  delete: 'repeal',
  replace: 'substitution',
  paragraph: 'insertion',
};

/**
 * The words an insertion follows in its paragraph (up to eight, within the sentence), '' at the start
 * of the paragraph, or null when the insertion is not in the text (decided, or its marks gone).
 */
function anchorWords(blocks: Block[], id: string): string | null {
  const { pieces, found } = paragraphPieces(blocks, id);
  const span = found ? spanOf(pieces) : null;
  if (!span) return null;
  const before = officialOf(pieces).slice(0, span.start);
  const sentence = before.split(/(?<=[.!?;:])\s+|\n/).at(-1) ?? '';
  return sentence.split(/\s+/).filter(Boolean).slice(-8).join(' ');
}

function quoted(text: string): string {
  return esc(text.split(GAP).join(' … '));
}

function renderAmendmentList(source: ExportSource, ctx: Context): string {
  const language = exportLanguage(source.outline.language);
  const date = datesOf(source);
  const listUri = `${ctx.workUri}/amendments`;
  const scope = new Set(source.sections.map((s) => s.meta.id));
  const sectionOf = new Map<string, SectionMeta>(source.sections.map((s) => [s.meta.id, s.meta]));
  const existing = new Map<string, Block[]>();
  for (const section of source.sections) {
    for (const node of section.nodes)
      if (node.type === 'numbered' && !node.proposed) existing.set(paragraphEid(node.number), node.blocks);
  }
  const amendments = publishedAmendments([...source.amendments.values()])
    .filter((a) => scope.has(a.sectionId))
    .sort((a, b) => (Number(a.ref.replace(/\D+/g, '')) || 0) - (Number(b.ref.replace(/\D+/g, '')) || 0));
  const indexOf = new Map(amendments.map((a, i) => [a.id, i + 1]));
  const refs = referencesFor(source.amendments);
  const components = amendments
    .map((a, i) => {
      const parent = a.parentId ? source.amendments.get(a.parentId) : undefined;
      const parentIndex = a.parentId ? indexOf.get(a.parentId) : undefined;
      const link = parent && parentIndex ? { amendment: parent, index: parentIndex } : null;
      return renderAmendment(
        a,
        i + 1,
        { ...ctx, workUri: `${listUri}/${slug(a.ref)}` },
        date,
        existing,
        sectionOf,
        language,
        link,
        refs,
      );
    })
    .join('');
  return (
    `<amendmentList name="amendments"><meta>${identification(listUri, ctx.language, date, 'list__')}${references('list__')}</meta>` +
    `<preface><p><docTitle>${esc(source.outline.symbol)}</docTitle></p></preface>` +
    // A collection needs at least one component: an empty list holds one interstitial note.
    `<collectionBody>${components || '<component eId="cmp_none"><interstitial eId="cmp_none__interstitial_1"><p/></interstitial></component>'}</collectionBody>` +
    '</amendmentList>'
  );
}

function renderAmendment(
  a: Amendment,
  index: number,
  ctx: Context,
  date: Dates,
  existing: Map<string, Block[]>,
  sectionOf: Map<string, SectionMeta>,
  language: ReturnType<typeof exportLanguage>,
  parent: { amendment: Amendment; index: number } | null,
  refs: References,
): string {
  const paragraph = a.paragraphs[0];
  const eid = paragraph !== undefined ? paragraphEid(paragraph) : null;
  const target = eid && existing.has(eid) ? eid : null;
  const modId = `amd_${index}__mod_1`;
  const prefix = `amd_${index}__`;
  // A sub-amendment modifies its parent amendment's proposal, not the paragraph.
  const destination = parent ? `#amd_${parent.index}__mod_1` : target ? `#${target}` : `#sec_${a.sectionId}`;
  const owner = ownerName(a.ownerKey, language);
  const p = phrases(language);
  const q = (n: number, role: 'old' | 'new' | 'anchor', text: string) =>
    `<quotedText eId="${modId}__qtext_${n}" class="${role}">${quoted(text)}</quotedText>`;
  const where = parent
    ? `${p.inAmendment} <ref eId="${prefix}ref_1" href="${destination}">${esc(refs.number(parent.amendment))}</ref>`
    : target
      ? `${p.inParagraph} <ref eId="${prefix}ref_1" href="${destination}">${esc(String(paragraph))}</ref>`
      : `${p.inSection} ${esc(sectionOf.get(a.sectionId)?.label ?? a.sectionId)}`;
  const form = a.form;
  let proposal: string;
  switch (a.type) {
    case 'insert': {
      const anchor =
        form?.op === 'insert' ? form.find : target && !parent ? anchorWords(existing.get(target) ?? [], a.id) : null;
      proposal =
        anchor === null
          ? `${where}, ${p.insert} ${q(1, 'new', a.proposedText)}`
          : anchor === ''
            ? `${where}, ${p.atStartInsert} ${q(1, 'new', a.proposedText)}`
            : `${where}, ${p.afterWords} ${q(1, 'anchor', anchor)}, ${p.insert} ${q(2, 'new', a.proposedText)}`;
      break;
    }
    case 'delete':
      proposal = `${where}, ${p.delete} ${q(1, 'old', a.originalText || form?.find || '')}`;
      break;
    case 'replace':
      proposal =
        `${where}, ${p.replace} ${q(1, 'old', a.originalText || form?.find || '')} ` +
        `${p.with} ${q(2, 'new', a.proposedText)}`;
      break;
    default:
      proposal = `${p.afterParagraph} ${target ? `<ref eId="${prefix}ref_1" href="${destination}">${esc(String(paragraph))}</ref>` : esc(String(paragraph ?? ''))}, ${p.add} ${q(1, 'new', a.proposedText)}`;
  }
  const votes = a.votes
    .map(
      (v) =>
        `<concord:vote owner="${esc(v.ownerKey)}" stance="${v.stance}" by="${esc(v.byName)}" at="${isoSeconds(v.at)}"/>`,
    )
    .join('');
  const proprietary =
    `<proprietary source="#${prefix}concord"><concord:amendment ref="${esc(a.ref)}" id="${esc(a.id)}" owner="${esc(a.ownerKey)}" ` +
    `status="${esc(a.status)}" statusLabel="${esc(statusName(a.status, language))}" type="${a.type}" author="${esc(a.authorName)}" created="${isoSeconds(a.createdAt)}">` +
    `${votes}</concord:amendment></proprietary>`;
  const analysis =
    `<analysis source="#${prefix}concord"><activeModifications><textualMod eId="amd_${index}__amod_1" type="${MOD_TYPES[a.type] ?? 'substitution'}">` +
    `<source href="#${modId}"/><destination href="${destination}"/></textualMod></activeModifications></analysis>`;
  return (
    `<component eId="cmp_${index}"><amendment name="${esc(slug(a.ref))}" contains="originalVersion">` +
    `<meta>${identification(ctx.workUri, ctx.language, date, prefix)}${analysis}${references(prefix, proponents(a, language))}${proprietary}</meta>` +
    `<preface><p><docNumber>${esc(refs.number(a))}</docNumber> <docProponent>${esc(owner)}</docProponent></p></preface>` +
    '<amendmentBody>' +
    `<amendmentHeading><p>${esc(refs.label(a))} — ${esc(owner)} — ${esc(statusName(a.status, language))}</p></amendmentHeading>` +
    `<amendmentContent><p><mod eId="${modId}">${proposal}</mod></p></amendmentContent>` +
    `<amendmentJustification><p>${esc(a.rationale)}</p></amendmentJustification>` +
    '</amendmentBody></amendment></component>'
  );
}

/** An amendment's proponent and co-sponsors, each once, named in the document's language. */
function proponents(a: Amendment, language: ReturnType<typeof exportLanguage>): { key: string; name: string }[] {
  const keys = [...new Set([a.ownerKey, ...a.cosponsors.map((c) => c.ownerKey)])];
  return keys.map((key) => ({ key, name: ownerName(key, language) }));
}

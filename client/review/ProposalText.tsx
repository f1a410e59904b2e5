import { useLayoutEffect, useRef, useState } from 'react';
import type { ProposalContext } from '../desk/proposalContext';
import { useT } from '../i18n';

/** Context kept on each side of the change in a card, in characters (cut at a word): enough to read it in place. */
const CONTEXT_CHARS = 120;
/** A change this long (struck and proposed words together) may fold; a shorter one is always shown whole. */
const FOLDABLE_CHARS = 240;

function lastWords(text: string): string {
  if (text.length <= CONTEXT_CHARS) return text;
  return `…${text.slice(text.length - CONTEXT_CHARS).replace(/^\S*\s/, '')}`;
}

function firstWords(text: string): string {
  if (text.length <= CONTEXT_CHARS) return text;
  return `${text.slice(0, CONTEXT_CHARS).replace(/\s\S*$/, '')}…`;
}

/**
 * What an amendment changes, read in its sentence: the official words before and after it (muted), the
 * words struck and those proposed (in the group's colour). Long proposals fold to three lines with
 * "Show all", so a pasted page does not make a card taller than the screen. Shared by the review cards,
 * the margin cards and the Office's desk.
 */
export function ProposalText({
  original,
  proposed,
  context,
  group,
  lang,
  testId,
}: {
  original: string;
  proposed: string;
  /** The sentence around the change; null when it cannot be found (only the change is shown). */
  context: ProposalContext | null;
  group: string;
  lang: string | undefined;
  testId?: string;
}) {
  const t = useT();
  const text = useRef<HTMLParagraphElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const folding = useRef(false);
  const [open, setOpen] = useState(false);
  const [long, setLong] = useState(false);
  const struck = context ? context.original : original;
  const added = context ? context.proposed : proposed;
  // Only a long change folds: the sentence around a short one must never hide the change itself. Folded,
  // the three lines are the change's own; the sentence around it comes with "Show all".
  const foldable = struck.length + added.length > FOLDABLE_CHARS;
  const withContext = context !== null && (!foldable || open);
  const before = withContext ? lastWords(context.before) : '';
  const after = withContext ? firstWords(context.after) : '';

  // Folded only when it actually runs past three lines at this width (measured, not guessed from length).
  // biome-ignore lint/correctness/useExhaustiveDependencies: the words shown decide the height, so they must trigger a new measure
  useLayoutEffect(() => {
    const el = text.current;
    if (!el || open) return;
    setLong(foldable && el.scrollHeight > el.clientHeight + 2);
  }, [open, foldable, struck, added, before, after]);

  // Folding a long proposal from "Show less" at its end pulls the card far up, out of view: bring the
  // folded card back to the reader instead of leaving them in whatever came after it.
  useLayoutEffect(() => {
    if (open || !folding.current) return;
    folding.current = false;
    box.current?.scrollIntoView({ block: 'nearest' });
  }, [open]);

  return (
    <div className="proposal" data-testid={testId} ref={box}>
      <p
        ref={text}
        className={open || !foldable ? 'amendment__diff proposal__text' : 'amendment__diff proposal__text proposal__text--folded'}
        lang={lang}
        data-testid="proposal-text"
        data-folded={!open && long ? 'true' : 'false'}
      >
        {before && (
          <span className="proposal__context" data-testid="proposal-before">
            {before}
          </span>
        )}
        {struck && (
          <del className={`diff-del group-${group}`}>
            <span className="visually-hidden">{t('amendment.original')}: </span>
            {struck}
          </del>
        )}
        {!context && struck && added && <span aria-hidden="true"> → </span>}
        {added && (
          <ins className={`diff-ins group-${group}`}>
            <span className="visually-hidden">{t('amendment.proposed')}: </span>
            {added}
          </ins>
        )}
        {after && (
          <span className="proposal__context" data-testid="proposal-after">
            {after}
          </span>
        )}
      </p>
      {(long || open) && (
        <button
          type="button"
          className="linklike proposal__toggle"
          aria-expanded={open}
          onClick={() => {
            folding.current = open;
            setOpen(!open);
          }}
          data-testid="proposal-toggle"
        >
          {t(open ? 'proposal.showLess' : 'proposal.showAll')}
        </button>
      )}
    </div>
  );
}

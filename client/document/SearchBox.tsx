import { type FormEvent, type KeyboardEvent, useId, useMemo, useRef, useState } from 'react';
import type { SectionMeta } from '../../shared/document.js';
import { useT } from '../i18n';
import { type TextBlock, fold } from './text';

export type SearchResult =
  | { kind: 'section'; sectionId: string; label: string; title: string }
  | { kind: 'paragraph'; sectionId: string; number: number | null; index: number; snippet: string };

const NUMBER_QUERY = /^\s*(?:§|¶|p\.?|para(?:graph)?e?s?\.?)?\s*(\d{1,4})\s*$/i;
const MAX_RESULTS = 30;

/** "27", "p27", "§ 27", "paragraphe 27" → 27. */
export function paragraphQuery(query: string): number | null {
  const match = NUMBER_QUERY.exec(query);
  return match ? Number(match[1]) : null;
}

function snippetAround(text: string, at: number, length: number): string {
  const start = Math.max(0, at - 50);
  const end = Math.min(text.length, at + length + 70);
  return `${start > 0 ? '…' : ''}${text.slice(start, end)}${end < text.length ? '…' : ''}`;
}

export function search(query: string, sections: SectionMeta[], blocks: Map<string, TextBlock[]>): SearchResult[] {
  const q = fold(query.trim());
  if (q.length < 2) return [];
  const results: SearchResult[] = [];
  for (const s of sections) {
    if (fold(`${s.label} ${s.title}`).includes(q)) results.push({ kind: 'section', sectionId: s.id, label: s.label, title: s.title });
  }
  for (const s of sections) {
    for (const [index, block] of (blocks.get(s.id) ?? []).entries()) {
      if (results.length >= MAX_RESULTS) return results;
      const at = fold(block.text).indexOf(q);
      if (at < 0) continue;
      results.push({ kind: 'paragraph', sectionId: s.id, number: block.number, index, snippet: snippetAround(block.text, at, q.length) });
    }
  }
  return results;
}

/**
 * Jumps to a paragraph by number, or finds words and section names ("Produit 5.2"). Results are a list
 * of buttons reachable with the arrow keys; the count is announced.
 */
export function SearchBox(props: {
  sections: SectionMeta[];
  blocks: Map<string, TextBlock[]>;
  paragraphs: Set<number>;
  onParagraph: (n: number) => void;
  onResult: (result: SearchResult) => void;
  onFocus?: () => void;
  /** Language of the document's text, for the snippets. */
  lang: string;
}) {
  const t = useT();
  const [query, setQuery] = useState('');
  const [submitted, setSubmitted] = useState<string | null>(null);
  const [message, setMessage] = useState('');
  const listRef = useRef<HTMLUListElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const resultsId = useId();

  const number = paragraphQuery(query);
  const results = useMemo(
    () => (number === null ? search(query, props.sections, props.blocks) : []),
    [query, number, props.sections, props.blocks],
  );
  const showResults = number === null && query.trim().length >= 2;

  function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(query);
    if (number !== null) {
      if (props.paragraphs.has(number)) {
        setMessage(t('search.jumped', { n: number }));
        props.onParagraph(number);
      } else setMessage(t('search.noParagraph', { n: number }));
      return;
    }
    const first = results[0];
    if (first) props.onResult(first);
  }

  function onListKeyDown(event: KeyboardEvent<HTMLUListElement>) {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp' && event.key !== 'Escape') return;
    event.preventDefault();
    if (event.key === 'Escape') {
      inputRef.current?.focus();
      return;
    }
    const buttons = [...(listRef.current?.querySelectorAll('button') ?? [])];
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const next = index + (event.key === 'ArrowDown' ? 1 : -1);
    if (next < 0) inputRef.current?.focus();
    else buttons[Math.min(next, buttons.length - 1)]?.focus();
  }

  function onInputKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'ArrowDown') {
      listRef.current?.querySelector('button')?.focus();
      event.preventDefault();
    } else if (event.key === 'Escape') {
      setQuery('');
      setMessage('');
    }
  }

  const status = showResults
    ? results.length === 0
      ? t('search.noResults', { q: query.trim() })
      : t('search.results', { count: results.length })
    : submitted === query
      ? message
      : '';

  return (
    <search className="search">
      <form onSubmit={submit} className="search__form">
        <label className="search__label" htmlFor={`${resultsId}-input`}>
          {t('search.label')}
        </label>
        <div className="search__row">
          <input
            ref={inputRef}
            id={`${resultsId}-input`}
            type="search"
            value={query}
            placeholder={t('search.placeholder')}
            autoComplete="off"
            data-testid="search-input"
            aria-controls={showResults ? resultsId : undefined}
            onChange={(e) => {
              setQuery(e.target.value);
              setSubmitted(null);
            }}
            onFocus={props.onFocus}
            onKeyDown={onInputKeyDown}
          />
          <button type="submit" className="button button--small">
            {t('search.go')}
          </button>
        </div>
      </form>
      <p className="search__status" role="status" aria-live="polite" data-testid="search-status">
        {status}
      </p>
      {showResults && results.length > 0 && (
        <ul id={resultsId} ref={listRef} className="search__results" onKeyDown={onListKeyDown}>
          {results.map((r) => (
            <li key={r.kind === 'section' ? `s-${r.sectionId}` : `p-${r.sectionId}-${r.index}`}>
              <button type="button" className="search__result" onClick={() => props.onResult(r)}>
                {r.kind === 'section' ? (
                  <>
                    <span className="search__kind">{t('search.result.section')}</span>
                    <span lang={props.lang}>
                      <strong>{r.label}</strong> {r.label !== r.title ? r.title : ''}
                    </span>
                  </>
                ) : (
                  <>
                    <span className="search__kind">
                      {r.number !== null ? t('search.result.paragraph', { n: r.number }) : t('search.result.unnumbered')}
                    </span>
                    <span className="search__snippet" lang={props.lang}>{r.snippet}</span>
                  </>
                )}
              </button>
            </li>
          ))}
        </ul>
      )}
    </search>
  );
}

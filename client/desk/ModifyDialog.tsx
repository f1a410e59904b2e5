import { useEffect, useId, useRef, useState } from 'react';
import type { PMNode } from '../../shared/schema/index.js';
import { groupOfOwnerKey } from '../../shared/suggestions.js';
import { api } from '../api/client';
import { useT } from '../i18n';
import type { DeskAmendment as DeskAmendmentData, DeskSubAmendment as DeskSubAmendmentData } from '../../shared/desk.js';
import { type ProposalContext, contextInContent, contextInText, placedWords } from './proposalContext';
import { useDocumentLanguage } from '../document/documentLanguage';

type Loaded = { state: 'loading' } | { state: 'ready'; context: ProposalContext | null };

/**
 * Accept with modifications, in context: the whole sentence with the proposal highlighted, a field holding
 * the proposed words without their surrounding spaces (which stay visible in the sentence: the server keeps
 * the boundary), and a preview of the sentence as it will read before the Office confirms.
 */
export function ModifyDialog({
  documentId,
  amendment: a,
  paragraphText,
  busy,
  onConfirm,
  onClose,
}: {
  documentId: string;
  amendment: DeskAmendmentData | DeskSubAmendmentData;
  /** The paragraph's official text, when the amendment's marks cannot be read from the section. */
  paragraphText: string;
  busy: boolean;
  /** Resolves true when the server took the decision (the dialog then closes). */
  onConfirm: (text: string) => Promise<boolean>;
  onClose: () => void;
}) {
  const t = useT();
  const docLang = useDocumentLanguage();
  const id = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const [text, setText] = useState(a.proposedText.trim());
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const group = groupOfOwnerKey(a.ownerKey);

  useEffect(() => {
    const el = dialog.current;
    if (el && !el.open) el.showModal();
  }, []);

  useEffect(() => {
    let cancelled = false;
    const fallback = () => contextInText(paragraphText, a.originalText, a.proposedText);
    api
      .section(documentId, a.sectionId)
      .then((body) => {
        const content = (body as { content?: PMNode } | null)?.content;
        const context = (content && contextInContent(content, a.id)) || fallback();
        if (!cancelled) setLoaded({ state: 'ready', context });
      })
      .catch(() => {
        if (!cancelled) setLoaded({ state: 'ready', context: fallback() });
      });
    return () => {
      cancelled = true;
    };
  }, [documentId, a.sectionId, a.id, a.originalText, a.proposedText, paragraphText]);

  const context = loaded.state === 'ready' ? loaded.context : null;
  // The proposal's own spaces belong to the sentence around it, shown there rather than in the field.
  const lead = /^\s/.test(a.proposedText) ? ' ' : '';
  const trail = /\s$/.test(a.proposedText) ? ' ' : '';
  const words = text.trim();
  // As the server will place them: the proposal's boundary spaces kept, runs of spaces made one.
  const left = context ? `${context.before}${lead}`.replace(/ {2,}/g, ' ') : '';
  const right = context ? `${trail}${context.after}`.replace(/ {2,}/g, ' ') : '';

  return (
    <dialog
      ref={dialog}
      className="dialog modify-dialog"
      aria-labelledby={`${id}-title`}
      data-testid="modify-dialog"
      onClose={onClose}
    >
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          if (!words) return;
          void onConfirm(placedWords(a.proposedText, words)).then((ok) => {
            if (ok) dialog.current?.close();
          });
        }}
      >
        <h2 id={`${id}-title`} className="dialog__title">
          {t('desk.modifyTitle', { ref: a.ref })}
        </h2>
        <p className="amendment__label">{t('desk.modifyContext')}</p>
        {loaded.state === 'loading' ? (
          <p className="muted">{t('desk.modifyLoading')}</p>
        ) : context ? (
          <p className="modify-dialog__sentence" lang={docLang} data-testid="modify-context">
            {left}
            {context.original && (
              <del className={`diff-del group-${group}`}>
                <span className="visually-hidden">{t('amendment.original')}: </span>
                {context.original.trim()}
              </del>
            )}
            {context.original && words && ' '}
            <mark className={`modify-dialog__proposal group-${group}`}>
              <span className="visually-hidden">{t('amendment.proposed')}: </span>
              {a.proposedText.trim()}
            </mark>
            {right}
          </p>
        ) : (
          <p className="muted">{t('desk.modifyNoContext')}</p>
        )}
        <label htmlFor={`${id}-text`} className="amendment__label">
          {t('desk.modifyLabel', { ref: a.ref })}
        </label>
        <textarea
          id={`${id}-text`}
          className="modify-dialog__field"
          rows={2}
          lang={docLang}
          value={text}
          aria-describedby={`${id}-hint`}
          autoFocus
          onChange={(e) => setText(e.target.value)}
        />
        <p id={`${id}-hint`} className="muted desk-card__hint">
          {t('desk.modifyHint')} {(lead || trail) && t('desk.modifyTrimmed')}
        </p>
        {context && (
          <>
            <p className="amendment__label">{t('desk.modifyPreview')}</p>
            <p className="modify-dialog__sentence modify-dialog__preview" lang={docLang} data-testid="modify-preview">
              {left}
              <ins className="modify-dialog__result">{words || '…'}</ins>
              {right}
            </p>
          </>
        )}
        {!words && <p className="muted">{t('desk.modifyEmpty')}</p>}
        <div className="button-row dialog__actions">
          <button type="submit" className="button button--small button--primary" disabled={busy || !words}>
            {t('desk.acceptModified')}
          </button>
          <button type="button" className="button button--small" onClick={() => dialog.current?.close()}>
            {t('amendment.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  );
}

import { useEffect, useId, useRef, useState, useSyncExternalStore } from 'react';
import { editorRegistry } from '../document/editorRegistry';
import { paragraphAt } from '../document/paragraphAt';
import { useI18n } from '../i18n';
import { errorText } from '../components/errorText';
import { OverlapOffers, overlapOf } from './OverlapOffers';

export type FormOp = 'insert' | 'delete' | 'replace';

export interface AmendmentFormValues {
  paragraph: number | null;
  op: FormOp;
  find: string;
  text: string;
  rationale: string;
  /** On whose behalf (an owner key); absent: the author's own group or State. */
  onBehalfOf?: string;
  /** A new draft's circle (`group`, `delegation`, `all`, `region:CODE`); absent: its group. */
  circle?: string;
}

export interface AmendmentFormProps {
  /** The section whose selection prefills `find` (drafts); null: no prefill (sub-amendments). */
  sectionId: string | null;
  /** Paragraphs to choose from; empty: no paragraph field (a sub-amendment acts on its parent's words). */
  paragraphs: number[];
  initial?: Partial<AmendmentFormValues>;
  /** What `find` is looked for in, said next to the field. */
  findHint: string;
  submitLabel: string;
  testId: string;
  onSubmit: (values: AmendmentFormValues) => Promise<void>;
  onCancel?: () => void;
  /**
   * Whom the author may propose for besides themselves (a government delegate's regional groups): the
   * first is the author's own State. Absent or one: no choice is shown.
   */
  owners?: { key: string; label: string }[];
  /** Who may read a new draft until it is tabled (client/review/draftCircles.ts); absent: no choice shown. */
  circles?: { key: string; label: string }[];
  /**
   * The document, when the author may back another group's amendment (a delegate): words already under
   * one (`overlaps`) then come with **Co-sponsor A-x** and **Support A-x**.
   */
  backOthersIn?: string;
  /** Focus the words to write (or, for a deletion, those to delete) first: the rest is filled in already. */
  focusWords?: boolean;
}

/**
 * An amendment by form: in paragraph N, insert after / delete / replace these words (by these). Used
 * for group drafts (prefilled from the words selected in the text), editing a draft and sub-amendments.
 * The server checks everything; its refusal is shown in its own words.
 */
export function AmendmentForm(props: AmendmentFormProps) {
  const { sectionId, paragraphs, initial, onSubmit } = props;
  const { t, language } = useI18n();
  const id = useId();
  const selection = useSyncExternalStore(editorRegistry.subscribe, editorRegistry.getSelection);
  const [values, setValues] = useState<AmendmentFormValues>(() => ({
    paragraph: initial?.paragraph ?? paragraphs[0] ?? null,
    op: initial?.op ?? 'replace',
    find: initial?.find ?? '',
    text: initial?.text ?? '',
    rationale: initial?.rationale ?? '',
  }));
  const [error, setError] = useState<string | null>(null);
  const [overlap, setOverlap] = useState<{ amendmentId: string; ref: string; at: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const findTouched = useRef(initial?.find !== undefined);
  const firstField = useRef<HTMLSelectElement & HTMLInputElement>(null);
  const findField = useRef<HTMLInputElement>(null);
  const wordsField = useRef<HTMLInputElement>(null);
  const focusWords = props.focusWords === true;

  // The words selected in this section's text become `find` (and their paragraph), until typed by hand.
  useEffect(() => {
    if (!sectionId || findTouched.current || !selection || selection.sectionId !== sectionId) return;
    const paragraph = paragraphAt(sectionId, selection.from);
    setValues((v) => ({
      ...v,
      find: selection.text.slice(0, 5000),
      paragraph: paragraph !== null && paragraphs.includes(paragraph) ? paragraph : v.paragraph,
    }));
  }, [selection, sectionId, paragraphs]);

  useEffect(() => {
    (focusWords ? (wordsField.current ?? findField.current) : firstField.current)?.focus();
  }, [focusWords]);

  const set = <K extends keyof AmendmentFormValues>(key: K, value: AmendmentFormValues[K]) =>
    setValues((v) => ({ ...v, [key]: value }));

  async function submit() {
    setBusy(true);
    setError(null);
    setOverlap(null);
    try {
      await onSubmit(values);
    } catch (err) {
      setError(errorText(err, t, language));
      const other = overlapOf(err);
      setOverlap(other ? { ...other, at: Date.now() } : null);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="amendment-form"
      data-testid={props.testId}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      {paragraphs.length > 0 && (
        <div className="amendment-form__field">
          <label htmlFor={`${id}-p`}>{t('form.paragraph')}</label>
          <select
            id={`${id}-p`}
            ref={firstField}
            value={values.paragraph ?? ''}
            onChange={(e) => set('paragraph', Number(e.target.value))}
          >
            {paragraphs.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </div>
      )}
      {props.circles && props.circles.length > 1 && (
        <div className="amendment-form__field">
          <label htmlFor={`${id}-circle`}>{t('draft.circle')}</label>
          <select
            id={`${id}-circle`}
            data-testid="form-circle"
            value={values.circle ?? props.circles[0]?.key ?? ''}
            onChange={(e) => set('circle', e.target.value)}
          >
            {props.circles.map((c) => (
              <option key={c.key} value={c.key}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
      )}
      {props.owners && props.owners.length > 1 && (
        <div className="amendment-form__field">
          <label htmlFor={`${id}-owner`}>{t('form.onBehalfOf')}</label>
          <select
            id={`${id}-owner`}
            data-testid="form-on-behalf-of"
            value={values.onBehalfOf ?? props.owners[0]?.key ?? ''}
            onChange={(e) => set('onBehalfOf', e.target.value)}
          >
            {props.owners.map((o) => (
              <option key={o.key} value={o.key}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
      )}
      <fieldset className="amendment-form__ops">
        <legend>{t('form.op')}</legend>
        {(['replace', 'insert', 'delete'] as const).map((op) => (
          <label key={op} className="choice">
            <input type="radio" name={`${id}-op`} value={op} checked={values.op === op} onChange={() => set('op', op)} />
            <span>{t(`form.op.${op}`)}</span>
          </label>
        ))}
      </fieldset>
      <div className="amendment-form__field">
        <label htmlFor={`${id}-find`}>{t(values.op === 'insert' ? 'form.findAfter' : 'form.find')}</label>
        <input
          id={`${id}-find`}
          ref={(el) => {
            findField.current = el;
            if (paragraphs.length === 0) firstField.current = el as (HTMLSelectElement & HTMLInputElement) | null;
          }}
          required
          value={values.find}
          aria-describedby={`${id}-find-hint`}
          onChange={(e) => {
            findTouched.current = true;
            set('find', e.target.value);
          }}
        />
        <small id={`${id}-find-hint`} className="muted">
          {props.findHint}
        </small>
      </div>
      {values.op !== 'delete' && (
        <div className="amendment-form__field">
          <label htmlFor={`${id}-text`}>{t(values.op === 'insert' ? 'form.textInsert' : 'form.textReplace')}</label>
          <input
            id={`${id}-text`}
            ref={wordsField}
            required
            value={values.text}
            onChange={(e) => set('text', e.target.value)}
          />
        </div>
      )}
      <div className="amendment-form__field">
        <label htmlFor={`${id}-why`}>{t('amendment.rationale')}</label>
        <textarea id={`${id}-why`} rows={2} value={values.rationale} onChange={(e) => set('rationale', e.target.value)} />
      </div>
      {error && (
        <p className="inline-error" role="alert" data-testid="form-error">
          {t('amendment.refused', { message: error })}
        </p>
      )}
      {error && overlap && props.backOthersIn && (
        <OverlapOffers
          key={overlap.at}
          documentId={props.backOthersIn}
          amendmentId={overlap.amendmentId}
          amendmentRef={overlap.ref}
        />
      )}
      <div className="button-row">
        <button type="submit" className="button button--small button--primary" disabled={busy}>
          {props.submitLabel}
        </button>
        {props.onCancel && (
          <button type="button" className="button button--small" onClick={props.onCancel}>
            {t('amendment.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}

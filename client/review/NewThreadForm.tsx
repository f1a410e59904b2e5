import { forwardRef, useEffect, useId, useImperativeHandle, useRef, useState, useSyncExternalStore } from 'react';
import { regionName } from '../../shared/regions.js';
import type { PublicUser } from '../../shared/roles.js';
import { stateName } from '../../shared/states.js';
import type { ThreadVisibility } from '../../shared/threads.js';
import { api } from '../api/client';
import { editorRegistry } from '../document/editorRegistry';
import { useI18n } from '../i18n';
import { useSession } from '../session/SessionProvider';
import { errorText } from '../components/errorText';
import { anchorOfSelection } from './anchoring';
import type { CreateThreadRequest } from '../../shared/threads.js';
import type { AmendmentRecord } from './amendmentsStore';
import type { ThreadsStore } from './threadsStore';

type Target = 'selection' | 'paragraph' | 'amendment';

export interface NewThreadFormHandle {
  focus: () => void;
}

export interface NewThreadFormProps {
  documentId: string;
  sectionId: string;
  paragraphs: number[];
  user: PublicUser;
  store: ThreadsStore | null;
  amendment: AmendmentRecord | null;
  onClearAmendment: () => void;
  announce: (message: string) => void;
  /** Called once the thread is posted (the margin closes its form then). */
  onPosted?: () => void;
  /** A form beside the text, for the words just selected: a different title, no heading level of the panel's. */
  title?: string;
}

/** Opens a thread on the selected words, a paragraph or an amendment, for everyone or for one's group. */
export const NewThreadForm = forwardRef<NewThreadFormHandle, NewThreadFormProps>(function NewThreadForm(props, ref) {
  const { documentId, sectionId, paragraphs, user, store, amendment, announce } = props;
  const { t, language } = useI18n();
  const selection = useSyncExternalStore(editorRegistry.subscribe, editorRegistry.getSelection);
  const here = selection?.sectionId === sectionId ? selection : null;
  const [target, setTarget] = useState<Target>(amendment ? 'amendment' : here ? 'selection' : 'paragraph');
  const [paragraph, setParagraph] = useState<number | null>(paragraphs[0] ?? null);
  const [visibility, setVisibility] = useState<ThreadVisibility>('all');
  const [region, setRegion] = useState<string | null>(null);
  const { session } = useSession();
  const regions = session.status === 'signedIn' ? session.regions : [];
  const ofAState = user.role === 'delegate' && user.group === 'government' && Boolean(user.memberState);
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const id = useId();

  useImperativeHandle(ref, () => ({ focus: () => bodyRef.current?.focus() }), []);

  // Follow what the user just did: chose an amendment to comment on, or selected words.
  useEffect(() => {
    if (amendment) setTarget('amendment');
  }, [amendment]);
  useEffect(() => {
    if (here) setTarget((prev) => (prev === 'amendment' ? prev : 'selection'));
    else setTarget((prev) => (prev === 'selection' ? 'paragraph' : prev));
  }, [here]);
  useEffect(() => {
    setParagraph((prev) => (prev !== null && paragraphs.includes(prev) ? prev : (paragraphs[0] ?? null)));
  }, [paragraphs]);

  const available: Target[] = [
    ...(here ? (['selection'] as const) : []),
    ...(paragraphs.length > 0 ? (['paragraph'] as const) : []),
    ...(amendment ? (['amendment'] as const) : []),
  ];
  const effective: Target | null = available.includes(target) ? target : (available[0] ?? null);

  async function submit() {
    const text = body.trim();
    if (!text || !effective) return;
    const request: CreateThreadRequest = { sectionId, visibility, body: text };
    if (visibility === 'region' && region) request.region = region;
    if (effective === 'selection' && here) {
      const entry = editorRegistry.get(sectionId);
      const anchor = entry ? anchorOfSelection(entry.editor, here.from, here.to, here.text) : null;
      if (!anchor) {
        setError(t('thread.on.selectionNone'));
        return;
      }
      request.anchor = anchor;
    } else if (effective === 'paragraph' && paragraph !== null) {
      request.paragraph = paragraph;
    } else if (effective === 'amendment' && amendment) {
      request.amendmentId = amendment.id;
    }
    setBusy(true);
    setError(null);
    try {
      store?.apply(await api.createThread(documentId, request));
      setBody('');
      if (effective === 'amendment') props.onClearAmendment();
      announce(t('thread.posted'));
      props.onPosted?.();
    } catch (err) {
      setError(errorText(err, t, language));
    } finally {
      setBusy(false);
    }
  }

  const groupLabel =
    user.role === 'secretariat'
      ? t('thread.visibility.office')
      : t('thread.visibility.group', { group: user.group ?? 'secretariat' });
  const quote = here ? (here.text.length > 60 ? `${here.text.slice(0, 57)}…` : here.text) : '';

  return (
    <form
      className="new-thread"
      data-testid="new-thread"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h3 className="review__subtitle">{props.title ?? t('thread.new')}</h3>
      <fieldset>
        <legend>{t('thread.on')}</legend>
        <label className="choice">
          <input
            type="radio"
            name={`${id}-target`}
            value="selection"
            checked={effective === 'selection'}
            disabled={!here}
            onChange={() => setTarget('selection')}
          />
          <span>{here ? t('thread.on.selection', { quote }) : t('thread.on.selectionNone')}</span>
        </label>
        {paragraphs.length > 0 && (
          <span className="choice">
            <input
              type="radio"
              id={`${id}-paragraph`}
              name={`${id}-target`}
              value="paragraph"
              checked={effective === 'paragraph'}
              onChange={() => setTarget('paragraph')}
            />
            <label htmlFor={`${id}-paragraph`}>{t('thread.on.paragraph')}</label>{' '}
            <select
              aria-label={t('thread.on.paragraph')}
              value={paragraph ?? ''}
              onChange={(e) => {
                setParagraph(Number(e.target.value));
                setTarget('paragraph');
              }}
            >
              {paragraphs.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </span>
        )}
        {amendment && (
          <label className="choice">
            <input
              type="radio"
              name={`${id}-target`}
              value="amendment"
              checked={effective === 'amendment'}
              onChange={() => setTarget('amendment')}
            />
            <span>{t('thread.on.amendment', { ref: amendment.ref })}</span>
          </label>
        )}
      </fieldset>
      <fieldset>
        <legend>{t('thread.visibility')}</legend>
        <label className="choice">
          <input type="radio" name={`${id}-vis`} value="all" checked={visibility === 'all'} onChange={() => setVisibility('all')} />
          <span>{t('thread.visibility.all')}</span>
        </label>
        <label className="choice">
          <input
            type="radio"
            name={`${id}-vis`}
            value="group"
            checked={visibility === 'group'}
            onChange={() => setVisibility('group')}
          />
          <span>{groupLabel}</span>
        </label>
        {ofAState && (
          <label className="choice">
            <input
              type="radio"
              name={`${id}-vis`}
              value="delegation"
              checked={visibility === 'delegation'}
              onChange={() => setVisibility('delegation')}
            />
            <span>{t('thread.visibility.delegation', { state: stateName(user.memberState ?? '', t('meta.language')) })}</span>
          </label>
        )}
        {ofAState &&
          regions.map((g) => (
            <label className="choice" key={g.code}>
              <input
                type="radio"
                name={`${id}-vis`}
                value={`region:${g.code}`}
                checked={visibility === 'region' && region === g.code}
                onChange={() => {
                  setVisibility('region');
                  setRegion(g.code);
                }}
              />
              <span>{t('thread.visibility.region', { region: regionName(g, t('meta.language')) })}</span>
            </label>
          ))}
      </fieldset>
      <label htmlFor={`${id}-body`} className="new-thread__label">
        {t('thread.body')}
      </label>
      <textarea id={`${id}-body`} ref={bodyRef} rows={3} value={body} onChange={(e) => setBody(e.target.value)} />
      <div className="button-row">
        <button type="submit" className="button button--small button--primary" disabled={busy || !body.trim() || !effective}>
          {busy ? t('thread.posting') : t('thread.submit')}
        </button>
      </div>
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
});

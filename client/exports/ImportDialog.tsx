import { type FormEvent, useEffect, useRef, useState } from 'react';
import { RATIONALE_MAX } from '../../shared/amendments.js';
import type { ImportPreviewView, ImportedAmendment, TableImportResponse } from '../../shared/imports.js';
import { useI18n } from '../i18n';
import { errorText, refusalText } from '../components/errorText';
import { useAbilities } from '../session/SessionProvider';
import { tableImported, uploadWordAmendments } from './api';
import { importReasonText } from './importReasons';
import { exportStrings } from './strings';

export interface ImportDialogProps {
  documentId: string;
  onClose: () => void;
}

/**
 * Upload a Word file in track changes, see what Concord found (and what it could not place, with why),
 * choose, and table the chosen amendments for the group or State — the Office names the one it acts for.
 */
export function ImportDialog({ documentId, onClose }: ImportDialogProps) {
  const { language, t } = useI18n();
  const abilities = useAbilities();
  const s = exportStrings(language);
  const dialog = useRef<HTMLDialogElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [onBehalfOf, setOnBehalfOf] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [preview, setPreview] = useState<ImportPreviewView | null>(null);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [result, setResult] = useState<TableImportResponse | null>(null);
  /** Rationales as edited in the preview (by import amendment id); the Word comments' until edited. */
  const [rationales, setRationales] = useState<Record<string, string>>({});

  useEffect(() => {
    const el = dialog.current;
    if (el && !el.open) el.showModal();
  }, []);

  async function read(event: FormEvent) {
    event.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const found = await uploadWordAmendments(documentId, file, onBehalfOf.trim());
      setPreview(found);
      setRationales(Object.fromEntries(found.amendments.map((a) => [a.id, a.rationale ?? ''])));
      setChosen(new Set(found.amendments.filter((a) => !a.tabled).map((a) => a.id)));
    } catch (err) {
      setError(errorText(err, t, language));
    } finally {
      setBusy(false);
    }
  }

  async function table() {
    if (!preview || chosen.size === 0) return;
    setBusy(true);
    setError(null);
    try {
      const edited = Object.fromEntries([...chosen].map((id) => [id, rationales[id] ?? '']));
      const done = await tableImported(preview.id, [...chosen], edited);
      setResult(done);
      setPreview(done.preview);
      setChosen(new Set());
    } catch (err) {
      setError(errorText(err, t, language));
    } finally {
      setBusy(false);
    }
  }

  const toggle = (id: string) => {
    const next = new Set(chosen);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setChosen(next);
  };

  const failure = (id: string) => {
    const failed = result?.failed.find((f) => f.id === id);
    return failed ? importReasonText(failed.why, failed.message, language) : undefined;
  };

  return (
    <dialog
      ref={dialog}
      className="import-dialog"
      aria-labelledby="import-title"
      onClose={onClose}
      data-testid="import-dialog"
    >
      <h2 id="import-title">{s('importTitle')}</h2>
      <p className="import-dialog__intro">{s('importIntro')}</p>
      <form onSubmit={read} className="import-dialog__form">
        <label>
          {s('file')}
          <input
            type="file"
            accept=".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            data-testid="import-file"
          />
        </label>
        {abilities.importOnBehalf && (
          <label>
            {s('onBehalfOf')}
            <input
              type="text"
              value={onBehalfOf}
              placeholder={s('onBehalfOfHint')}
              onChange={(e) => setOnBehalfOf(e.target.value)}
              data-testid="import-on-behalf-of"
            />
          </label>
        )}
        <button type="submit" className="button" disabled={!file || busy}>
          {busy && !preview ? s('reading') : s('read')}
        </button>
      </form>
      {error && (
        <p className="import-dialog__error" role="alert">
          {error}
        </p>
      )}
      {preview && (
        <section className="import-dialog__preview" aria-live="polite">
          <h3>{s('found', { count: preview.amendments.length })}</h3>
          {preview.amendments.length === 0 && preview.unplaced.length === 0 && <p>{s('none')}</p>}
          <ul className="import-dialog__list">
            {preview.amendments.map((a) => (
              <li key={a.id} className="import-dialog__item">
                <label>
                  <input
                    type="checkbox"
                    checked={chosen.has(a.id)}
                    disabled={a.tabled !== null || busy}
                    onChange={() => toggle(a.id)}
                    data-testid={`import-choose-${a.id}`}
                  />
                  <span className="import-dialog__where">
                    {s('paragraph', { number: a.paragraph })} · {s(`op_${a.op}`)} ·{' '}
                    {s('by', { author: a.wordAuthor || '—' })}
                  </span>
                </label>
                <Proposal amendment={a} />
                <label className="import-dialog__rationale">
                  <span>{s('rationale')}</span>
                  <textarea
                    value={rationales[a.id] ?? a.rationale ?? ''}
                    placeholder={s('rationaleHint')}
                    maxLength={RATIONALE_MAX}
                    rows={2}
                    readOnly={a.tabled !== null}
                    disabled={busy}
                    onChange={(e) => setRationales({ ...rationales, [a.id]: e.target.value })}
                    data-testid={`import-rationale-${a.id}`}
                  />
                </label>
                {a.tabled && <p className="import-dialog__ok">{s('tabled', { ref: a.tabled.ref })}</p>}
                {failure(a.id) && (
                  <p className="import-dialog__error">{s('failed', { message: failure(a.id) ?? '' })}</p>
                )}
              </li>
            ))}
          </ul>
          {preview.unplaced.length > 0 && (
            <>
              <h3>{s('unplaced', { count: preview.unplaced.length })}</h3>
              <ul className="import-dialog__list import-dialog__list--unplaced">
                {preview.unplaced.map((u) => (
                  <li key={u.id} className="import-dialog__item">
                    <span className="import-dialog__where">
                      {u.paragraph !== null ? s('paragraph', { number: u.paragraph }) : '—'} · {s(`op_${u.kind}`)}
                    </span>{' '}
                    {u.deleted && <del>{u.deleted}</del>} {u.inserted && <ins>{u.inserted}</ins>}
                    <p className="import-dialog__why" data-testid={`import-why-${u.id}`}>
                      {importReasonText(u.why, u.reason, language)}
                    </p>
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      )}
      <div className="import-dialog__actions">
        {preview && preview.amendments.length > 0 && (
          <button
            type="button"
            className="button button--primary"
            disabled={chosen.size === 0 || busy || !preview.abilities.table}
            aria-describedby={preview.reasons.table ? 'import-table-why' : undefined}
            onClick={() => void table()}
            data-testid="import-table"
          >
            {busy && preview ? s('tabling') : s('table', { count: chosen.size })}
          </button>
        )}
        {preview && preview.amendments.length > 0 && preview.reasons.table && (
          // The server's sentence (the deadline passed): why the button is disabled.
          <p id="import-table-why" className="import-dialog__table-why muted" data-testid="import-table-why">
            {refusalText(preview.reasonCodes?.table, t, language) ?? preview.reasons.table}
          </p>
        )}
        <button type="button" className="button" onClick={() => dialog.current?.close()}>
          {s('close')}
        </button>
      </div>
    </dialog>
  );
}

/** The official words around the change, with the deletion struck and the insertion underlined. */
function Proposal({ amendment: a }: { amendment: ImportedAmendment }) {
  return (
    <p className="import-dialog__proposal">
      <span className="import-dialog__context">…{a.before.slice(-40)}</span>
      {a.op === 'insert' ? (
        <>
          {a.find}
          <ins>{a.text}</ins>
        </>
      ) : (
        <>
          <del>{a.find}</del>
          {a.op === 'replace' && <ins>{a.text}</ins>}
        </>
      )}
      <span className="import-dialog__context">{a.after.slice(0, 40)}…</span>
    </p>
  );
}

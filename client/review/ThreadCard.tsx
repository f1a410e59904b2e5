import { memo, useId, useState } from 'react';
import type { AnchorState } from '../../shared/anchors.js';
import { api } from '../api/client';
import { parseOwnerKey } from '../../shared/ownerKey.js';
import { type RegionalGroup, regionName } from '../../shared/regions.js';
import { affiliationOf, colourOfOwner, formatTime, ownerLabelOf } from '../components/identity';
import { type Translate, useI18n } from '../i18n';
import { useSession } from '../session/SessionProvider';
import { errorText } from '../components/errorText';
import { showThread } from './navigate';
import type { CommentView as CommentRecord } from '../../shared/threads.js';
import type { AmendmentRecord } from './amendmentsStore';
import type { ThreadRecord } from './threadsStore';
import type { ThreadsStore } from './threadsStore';

export interface ThreadCardProps {
  thread: ThreadRecord;
  store: ThreadsStore | null;
  amendment: AmendmentRecord | undefined;
  /** Whether the anchored words are still in the text; null when unknown (section not open). */
  anchorState: AnchorState | null;
}

function LockIcon() {
  return (
    <svg className="lock-icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M8 1a3.5 3.5 0 0 0-3.5 3.5V6H4a1.5 1.5 0 0 0-1.5 1.5v6A1.5 1.5 0 0 0 4 15h8a1.5 1.5 0 0 0 1.5-1.5v-6A1.5 1.5 0 0 0 12 6h-.5V4.5A3.5 3.5 0 0 0 8 1Zm-2 3.5a2 2 0 1 1 4 0V6H6V4.5Z"
      />
    </svg>
  );
}

/** A comment thread: where it points, who may read it, its comments, and reply / edit / resolve. */
export const ThreadCard = memo(function ThreadCard({ thread, store, amendment, anchorState }: ThreadCardProps) {
  const { t, language } = useI18n();
  const [replying, setReplying] = useState(false);
  const [reply, setReply] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const replyId = useId();
  const hints = thread.abilities;

  async function run(work: () => Promise<ThreadRecord>): Promise<boolean> {
    setBusy(true);
    setError(null);
    try {
      store?.apply(await work());
      return true;
    } catch (err) {
      setError(errorText(err, t, language));
      return false;
    } finally {
      setBusy(false);
    }
  }

  const { session } = useSession();
  const circle = circleName(thread.circle ?? null, session.status === 'signedIn' ? session.regions : [], t);
  let where: string;
  if (thread.anchor) where = t('thread.anchor.text', { quote: thread.anchor.quote });
  else if (thread.amendmentId) where = t('thread.anchor.amendment', { ref: amendment?.ref ?? '…' });
  else if (thread.paragraph !== null) where = t('thread.anchor.paragraph', { n: thread.paragraph });
  else where = t('thread.anchor.section');
  const deleted = thread.anchor !== null && anchorState === 'deleted';

  return (
    <article
      className={`thread${thread.resolved ? ' thread--resolved' : ''}${thread.visibility !== 'all' ? ' thread--private' : ''}`}
      data-testid="thread"
      data-thread-id={thread.id}
      data-visibility={thread.visibility}
      aria-label={where}
    >
      <header className="thread__head">
        <button type="button" className="linklike thread__where" onClick={() => void showThread(thread, amendment)}>
          {where}
          <span className="visually-hidden"> — {t('thread.show')}</span>
        </button>
        {deleted && (
          <span className="thread__deleted" data-testid="thread-deleted">
            {t('thread.anchor.deleted')}
          </span>
        )}
        {thread.visibility !== 'all' && (
          <span className="thread__private" data-testid="thread-private">
            <LockIcon />
            {circle
              ? t('thread.circleOnly', { name: circle })
              : thread.group
                ? t('thread.groupOnly', { group: thread.group })
                : t('thread.officeOnly')}
          </span>
        )}
        {thread.resolved && <span className="status status--resolved">{t('thread.resolved')}</span>}
      </header>
      <ol className="thread__comments">
        {thread.comments.map((c) => (
          <CommentItem key={c.id} comment={c} onChange={run} disabled={busy} />
        ))}
      </ol>
      <div className="button-row">
        {hints.reply && !replying && (
          <button type="button" className="button button--small" onClick={() => setReplying(true)}>
            {t('thread.reply')}
          </button>
        )}
        {hints.resolve && (
          <button
            type="button"
            className="button button--small button--quiet"
            disabled={busy}
            onClick={() => void run(() => api.resolveThread(thread.id, !thread.resolved))}
          >
            {t(thread.resolved ? 'thread.reopen' : 'thread.resolve')}
          </button>
        )}
      </div>
      {replying && (
        <form
          className="thread__reply"
          onSubmit={(e) => {
            e.preventDefault();
            const body = reply.trim();
            if (!body) return;
            void run(() => api.reply(thread.id, body)).then((ok) => {
              if (ok) {
                setReply('');
                setReplying(false);
              }
            });
          }}
        >
          <label htmlFor={replyId}>{t('thread.replyLabel')}</label>
          {/* biome-ignore lint/a11y/noAutofocus: the user just asked to reply */}
          <textarea id={replyId} rows={2} value={reply} onChange={(e) => setReply(e.target.value)} autoFocus />
          <div className="button-row">
            <button type="submit" className="button button--small button--primary" disabled={busy || !reply.trim()}>
              {t('thread.sendReply')}
            </button>
            <button type="button" className="button button--small" onClick={() => setReplying(false)}>
              {t('comment.cancel')}
            </button>
          </div>
        </form>
      )}
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
    </article>
  );
});

function CommentItem({
  comment,
  onChange,
  disabled,
}: {
  comment: CommentRecord;
  onChange: (work: () => Promise<ThreadRecord>) => Promise<boolean>;
  disabled: boolean;
}) {
  const { t, language } = useI18n();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [body, setBody] = useState(comment.body);
  const editId = useId();
  const hints = comment.abilities;
  const author = { role: comment.authorRole, group: comment.authorGroup, memberState: comment.authorMemberState };
  const colour = comment.authorRole === 'secretariat' ? colourOfOwner('secretariat') : colourOfOwner(comment.authorGroup ?? '');

  return (
    <li className="comment" data-testid="comment">
      <p className="comment__meta">
        <span className="dot" style={{ backgroundColor: colour }} aria-hidden="true" />
        <strong>{comment.authorName}</strong> <span className="muted">{affiliationOf(author, t)}</span> ·{' '}
        <time className="muted" dateTime={new Date(comment.createdAt).toISOString()}>
          {formatTime(comment.createdAt, language)}
        </time>
        {comment.editedAt && !comment.deleted && <span className="muted"> · {t('comment.edited')}</span>}
      </p>
      {comment.deleted ? (
        <p className="comment__body muted">{t('comment.deleted')}</p>
      ) : editing ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const next = body.trim();
            if (!next) return;
            void onChange(() => api.editComment(comment.id, next)).then((ok) => ok && setEditing(false));
          }}
        >
          <label htmlFor={editId} className="visually-hidden">
            {t('comment.editLabel')}
          </label>
          <textarea id={editId} rows={3} value={body} onChange={(e) => setBody(e.target.value)} />
          <div className="button-row">
            <button type="submit" className="button button--small button--primary" disabled={disabled}>
              {t('comment.save')}
            </button>
            <button type="button" className="button button--small" onClick={() => setEditing(false)}>
              {t('comment.cancel')}
            </button>
          </div>
        </form>
      ) : (
        <p className="comment__body" data-testid="comment-body">
          {comment.body}
        </p>
      )}
      {!editing && (hints.edit || hints.delete) && (
        <div className="button-row comment__actions">
          {confirming ? (
            <>
              <span role="alert">{t('comment.deleteConfirm')}</span>
              <button
                type="button"
                className="button button--small button--danger"
                disabled={disabled}
                onClick={() => void onChange(() => api.deleteComment(comment.id)).then(() => setConfirming(false))}
              >
                {t('comment.delete')}
              </button>
              <button type="button" className="button button--small" onClick={() => setConfirming(false)}>
                {t('comment.cancel')}
              </button>
            </>
          ) : (
            <>
              {hints.edit && (
                <button
                  type="button"
                  className="button button--small button--quiet"
                  onClick={() => {
                    setBody(comment.body);
                    setEditing(true);
                  }}
                >
                  {t('comment.edit')}
                </button>
              )}
              {hints.delete && (
                <button type="button" className="button button--small button--quiet" onClick={() => setConfirming(true)}>
                  {t('comment.delete')}
                </button>
              )}
            </>
          )}
        </div>
      )}
    </li>
  );
}

/** Who a delegation- or region-only thread is for: the State or the regional group, in the reader's language. */
function circleName(circle: string | null, regions: readonly RegionalGroup[], t: Translate): string | null {
  if (!circle) return null;
  const owner = parseOwnerKey(circle);
  if (owner.kind === 'region') {
    const group = regions.find((g) => g.code === owner.region);
    return group ? regionName(group, t('meta.language')) : owner.region;
  }
  return ownerLabelOf(circle, t);
}

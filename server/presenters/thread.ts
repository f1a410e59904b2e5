import type { Comment, Thread, ThreadView } from '../../shared/threads.js';
import { type ThreadActor, commentAbilities, threadAbilities } from '../policies/threads.js';

export type { ThreadView };

/** A comment as it leaves the server: a deleted comment keeps its place and author, never its words. */
export function presentComment(comment: Comment): Comment {
  return { ...comment, body: comment.deleted ? '' : comment.body };
}

/** A thread as it is pushed to everyone allowed to see it (socket.io): the same for every reader. */
export function presentThread(thread: Thread): Thread {
  return {
    ...thread,
    anchor: thread.anchor ? { ...thread.anchor } : null,
    comments: thread.comments.map(presentComment),
  };
}

/** A thread as the HTTP API returns it to one reader: with what that reader may do. */
export function presentThreadFor(actor: ThreadActor, thread: Thread): ThreadView {
  const shown = presentThread(thread);
  return {
    ...shown,
    comments: shown.comments.map((c) => ({ ...c, abilities: commentAbilities(actor, c) })),
    abilities: threadAbilities(actor, thread),
  };
}

import type { Amendment } from '../../shared/amendments.js';
import type { PublicUser } from '../../shared/roles.js';
import type { Thread } from '../../shared/threads.js';
import type { Refusal } from './refusal.js';
import { publishedAmendments } from './exports.js';
import { whyNotOffice } from './rounds.js';

/**
 * The archive of a consultation is the record the Office files after the session: the Office alone
 * downloads it. It holds what is on the public record only: tabled amendments (never a draft, which is
 * its group's alone) and threads open to everyone (never a group-only thread, even though the Office
 * may read those), so the file can be shared as the record without leaking a group's private material.
 */
export function whyCannotDownloadArchive(actor: Pick<PublicUser, 'role' | 'group'>): Refusal | null {
  return whyNotOffice(actor, 'downloads the archive of a consultation');
}

export function archivedAmendments<T extends Pick<Amendment, 'status'>>(amendments: T[]): T[] {
  return publishedAmendments(amendments);
}

export function archivedThreads<T extends Pick<Thread, 'visibility'>>(threads: T[]): T[] {
  return threads.filter((t) => t.visibility === 'all');
}

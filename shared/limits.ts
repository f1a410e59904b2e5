/** Limits shared by client and server; the server enforces them, the client uses them to warn early. */

/** Largest collaboration message (sync or awareness) the server accepts, in bytes. */
export const MAX_COLLAB_MESSAGE_BYTES = 1024 * 1024;

/** Largest awareness state of one client, JSON-encoded, in bytes (a cursor and a name fit in far less). */
export const MAX_AWARENESS_STATE_BYTES = 4 * 1024;

/** Name of the Y.XmlFragment holding a section's text; TipTap's Collaboration extension default. */
export const SECTION_FRAGMENT = 'default';

/** The websocket path of the y-websocket protocol endpoint. */
export const COLLAB_PATH = '/collab';

/** Name of the session cookie. */
export const SESSION_COOKIE = 'concord_session';

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,39}$/;
export const MIN_PASSWORD_LENGTH = 8;

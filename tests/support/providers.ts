import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { COLLAB_PATH, SECTION_FRAGMENT } from '../../shared/limits.js';

/**
 * A stock y-websocket client, as a script or another tool would use it. BroadcastChannel is off:
 * Node 20 has one, and two providers in one process would otherwise sync without the server.
 */
export function connectProvider(
  baseUrl: string,
  room: string,
  token: string | null,
  options: { doc?: Y.Doc; connect?: boolean } = {},
): { doc: Y.Doc; provider: WebsocketProvider } {
  const doc = options.doc ?? new Y.Doc();
  const provider = new WebsocketProvider(`${baseUrl.replace(/^http/, 'ws')}${COLLAB_PATH}`, room, doc, {
    params: token ? { token } : {},
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    connect: options.connect ?? true,
  });
  return { doc, provider };
}

export function waitForSync(provider: WebsocketProvider, timeoutMs = 5000): Promise<void> {
  if (provider.synced) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('provider did not sync')), timeoutMs);
    provider.once('sync', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Resolves with the close event of the provider's socket (code and reason). */
export function nextClose(provider: WebsocketProvider, timeoutMs = 5000): Promise<{ code: number; reason: string }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('connection was not closed')), timeoutMs);
    provider.once('connection-close', (event: { code: number; reason: string } | null) => {
      clearTimeout(timer);
      resolve({ code: event?.code ?? 0, reason: event?.reason ?? '' });
    });
  });
}

/** Types at the end of the section's first text, as an editor would: a plain (official) edit. */
export function typeInto(doc: Y.Doc, text: string): void {
  const walker = doc.getXmlFragment(SECTION_FRAGMENT).createTreeWalker((n) => n instanceof Y.XmlText);
  const first = walker.next().value as Y.XmlText;
  first.insert(first.length, text);
}

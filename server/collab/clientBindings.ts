import * as Y from 'yjs';
import type { Store } from '../storage/Store.js';

/** The user the server's own clientIDs are bound to, and content older than bindings. */
export const SERVER_USER = 'server';

/**
 * Which user writes with which Yjs clientID in one section. A clientID is whatever the client says it
 * is, so the first accepted use binds it, the binding is stored, and anyone else using it is refused:
 * otherwise one delegate could write under another's clientID and blur who typed what.
 */
export class ClientBindings {
  private readonly owners = new Map<number, string>();

  constructor(
    private readonly store: Store,
    private readonly documentId: string,
    private readonly sectionId: string,
  ) {}

  /** Loads the stored bindings; clientIDs already in `doc` without one (the import) become the server's. */
  async load(doc: Y.Doc): Promise<void> {
    for (const { clientId, userId } of await this.store.loadClientBindings(this.documentId, this.sectionId)) {
      this.owners.set(clientId, userId);
    }
    for (const clientId of doc.store.clients.keys()) {
      if (!this.owners.has(clientId)) await this.bind(clientId, SERVER_USER);
    }
  }

  ownerOf(clientId: number): string | undefined {
    return this.owners.get(clientId);
  }

  /** Binds unless already bound (maybe by another process); resolves with the user it is bound to. */
  async bind(clientId: number, userId: string): Promise<string> {
    const known = this.owners.get(clientId);
    if (known) return known;
    const owner = await this.store.bindClient(this.documentId, this.sectionId, clientId, userId);
    this.owners.set(clientId, owner);
    return owner;
  }
}

/** The clientIDs an update writes new structs for, beyond what `doc` already holds. */
export function writersOf(update: Uint8Array, doc: Y.Doc): number[] {
  const writers: number[] = [];
  for (const [clientId, end] of Y.parseUpdateMeta(update).to) {
    if (end > Y.getState(doc.store, clientId)) writers.push(clientId);
  }
  return writers;
}

import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addsNothing } from '../../server/collab/addsNothing.js';

/** What the owner does not store again: an update whose structs and deletions the section already holds. */

function docWith(text: string): Y.Doc {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return doc;
}

describe('addsNothing', () => {
  it('is true for an update sent again, false for one with new words', () => {
    const server = docWith('hello');
    const client = new Y.Doc();
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
    expect(addsNothing(server, Y.encodeStateAsUpdate(client))).toBe(true);
    const before = Y.encodeStateVector(client);
    client.getText('t').insert(5, ' world');
    expect(addsNothing(server, Y.encodeStateAsUpdate(client, before))).toBe(false);
  });

  it('looks at deletions too: one already made adds nothing, a new one does', () => {
    const server = docWith('hello');
    const client = new Y.Doc();
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
    const before = Y.encodeStateVector(client);
    client.getText('t').delete(0, 2);
    const deletion = Y.encodeStateAsUpdate(client, before);
    expect(addsNothing(server, deletion)).toBe(false);
    Y.applyUpdate(server, deletion);
    expect(addsNothing(server, deletion)).toBe(true);
    expect(addsNothing(server, Y.encodeStateAsUpdate(client))).toBe(true);
  });
});

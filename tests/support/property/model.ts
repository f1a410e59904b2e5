import type { ActorKey } from './session.js';

/**
 * What the test knows independently of the server: the official text it expects, and who created and
 * acted on every amendment. Invariants compare the server's record, text and audit with it.
 */
export interface RecordModel {
  /** Expected official text per block (see reading.ts#officialText), whitespace squashed. */
  official: Map<string, string>;
  /** Amendment id → owner key, as set by whoever created it (a typed mark, or a form). */
  owners: Map<string, string>;
  /** Amendment id → user id of the person who created it. */
  creators: Map<string, string>;
  /** Amendment id → every user whose action (typing in it, or an HTTP call on it) touched it. */
  actors: Map<string, Set<string>>;
  /** HTTP actions that succeeded: the audit must hold a line of exactly this actor, action and target. */
  audited: { action: string; targetId: string; userId: string; actor: ActorKey }[];
  /** Blocks whose official text the Office changed directly: each needs a `text.corrected` audit line. */
  corrected: Set<string>;
  /** Commands run in this session (for the 10,000-step count). */
  steps: number;
  /** A short log of what happened, printed with a failure. */
  log: string[];
}

export function newModel(official: Map<string, string>): RecordModel {
  return {
    official,
    owners: new Map(),
    creators: new Map(),
    actors: new Map(),
    audited: [],
    corrected: new Set(),
    steps: 0,
    log: [],
  };
}

export function touch(model: RecordModel, id: string, userId: string): void {
  let set = model.actors.get(id);
  if (!set) {
    set = new Set();
    model.actors.set(id, set);
  }
  set.add(userId);
}

export function created(model: RecordModel, id: string, ownerKey: string, userId: string): void {
  if (!model.owners.has(id)) model.owners.set(id, ownerKey);
  if (!model.creators.has(id)) model.creators.set(id, userId);
  touch(model, id, userId);
}

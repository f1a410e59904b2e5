/**
 * One action at a time per amendment in this process, and a flag the record sync reads: while a command
 * is changing an amendment (placing it by form, deciding it, withdrawing it), the sync leaves that id
 * alone, since the command writes the record itself, atomically with its change to the text.
 */
const chains = new Map<string, Promise<unknown>>();
const busy = new Map<string, number>();

export function isAmendmentBusy(id: string): boolean {
  return (busy.get(id) ?? 0) > 0;
}

/** Runs `task` after any earlier task on the same amendment, with the amendment marked busy. */
export function withAmendmentLock<T>(id: string, task: () => Promise<T>): Promise<T> {
  busy.set(id, (busy.get(id) ?? 0) + 1);
  const previous = chains.get(id) ?? Promise.resolve();
  const run = previous.catch(() => {}).then(task);
  const settled = run.then(
    () => {},
    () => {},
  );
  chains.set(id, settled);
  void settled.then(() => {
    const left = (busy.get(id) ?? 1) - 1;
    if (left > 0) busy.set(id, left);
    else busy.delete(id);
    if (chains.get(id) === settled) chains.delete(id);
  });
  return run;
}

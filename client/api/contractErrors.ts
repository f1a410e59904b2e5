/**
 * An answer or a live event that does not match the contract (shared/contract) is never dropped in
 * silence: it is logged with what was wrong, shown to the user (the app's banner listens here) and, in
 * development, thrown so that the mismatch is fixed where it starts.
 */
export interface ContractError {
  /** The route or event: `amendments`, `amendment:changed`. */
  where: string;
  message: string;
}

type Listener = (error: ContractError) => void;
const listeners = new Set<Listener>();

export function onContractError(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export class ContractMismatch extends Error {
  constructor(
    readonly where: string,
    message: string,
  ) {
    super(`${where}: the server's answer does not match the contract: ${message}`);
    this.name = 'ContractMismatch';
  }
}

/** Logs and shows the mismatch; returns the error for the caller to throw (HTTP) or to stop at (events). */
export function reportContractError(where: string, message: string): ContractMismatch {
  const error = new ContractMismatch(where, message);
  console.error(error.message);
  for (const listener of listeners) listener({ where, message });
  return error;
}

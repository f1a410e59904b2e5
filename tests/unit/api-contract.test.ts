import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiRequestError, api } from '../../client/api/client.js';
import { ContractMismatch, onContractError } from '../../client/api/contractErrors.js';

/** The client's API module: an answer that fails its contract is an error that is logged and shown. */

function answer(status: number, body: unknown) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })),
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('client api', () => {
  it('answers the parsed body of a route, with its real type', async () => {
    answer(200, { documentId: 'd', now: 5, round: null, abilities: { open: false } });
    const body = await api.currentRound('d');
    expect(body).toEqual({ documentId: 'd', now: 5, round: null, abilities: { open: false } });
  });

  it('rejects an answer that fails its schema, logs it and tells the listeners (the banner)', async () => {
    answer(200, [{ id: 'a', symbol: 'GB.1' }]);
    const seen: string[] = [];
    const stop = onContractError((e) => seen.push(e.where));
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    await expect(api.documents()).rejects.toBeInstanceOf(ContractMismatch);
    stop();
    expect(seen).toEqual(['documents']);
    expect(log).toHaveBeenCalledOnce();
  });

  it('turns an error answer into an ApiRequestError with the server’s code and sentence', async () => {
    answer(403, { error: 'forbidden', message: 'Only the Office works at the consolidation desk.' });
    const err = await api.desk('d', true).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiRequestError);
    expect(err).toMatchObject({
      status: 403,
      code: 'forbidden',
      message: 'Only the Office works at the consolidation desk.',
    });
  });

  it('builds the path, query and JSON body from the route table', async () => {
    answer(200, { action: 'reject', done: 0, failed: 0, results: [] });
    await api.bulk('gb-1', 'reject', ['abcdefgh']);
    const [url, init] = vi.mocked(fetch).mock.calls[0] ?? [];
    expect(url).toBe('/api/documents/gb-1/amendments/bulk');
    expect(init).toMatchObject({ method: 'POST', body: JSON.stringify({ action: 'reject', ids: ['abcdefgh'] }) });
  });
});

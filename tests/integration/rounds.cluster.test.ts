import { afterAll, describe, expect, it } from 'vitest';
import { SHARED_STORE_KEEP_MS, latestRound } from '../../server/rounds/latestRounds.js';
import { ServerEvent } from '../../shared/events.js';
import type { RoundView } from '../../shared/rounds.js';
import { socketBarrier } from '../support/barrier.js';
import { buildCast, call, consultationDocument, joinedSocket } from '../support/consultation.js';
import { type Cluster, announceClusterSkip, clusterAvailable, startCluster } from '../support/clusterApps.js';
import { eventually } from '../support/testServer.js';

/**
 * The latest round is kept in each process for the deadline hook (server/rounds/latestRounds.ts); on
 * PostgreSQL a round opened through one app must reach the others' copies by the fan-out message, well
 * before the copies would be read again anyway (SHARED_STORE_KEEP_MS).
 */
announceClusterSkip('rounds.cluster.test.ts');

const DOC = 'gb-999-rounds-cluster-1';

describe.skipIf(!clusterAvailable())('round changes across processes', () => {
  let cluster: Cluster | undefined;
  afterAll(async () => {
    await cluster?.stop();
  });

  it('a round opened or closed on one app is what another app’s deadline hook reads, at once', {
    timeout: 60_000,
  }, async () => {
    cluster = await startCluster({ count: 2, document: consultationDocument(DOC) });
    const [a, b] = cluster.apps;
    if (!a || !b) throw new Error('two apps expected');
    const cast = await buildCast(a);
    const opened = await call<{ id: string }>(a, 'POST', `/api/documents/${DOC}/rounds`, cast.office, {
      amendmentDeadline: Date.now() + 3600_000,
      subAmendmentDeadline: Date.now() + 7200_000,
    });
    expect(opened.status).toBe(201);
    await eventually(async () => expect((await latestRound(b.services.store, DOC))?.id).toBe(opened.body.id), 10_000);

    const closed = await call(a, 'POST', `/api/rounds/${opened.body.id}/close`, cast.office, {});
    expect(closed.status).toBe(200);
    await eventually(async () => expect((await latestRound(b.services.store, DOC))?.closedAt).not.toBeNull(), 10_000);

    // B keeps the closed round from now on; A opens the next one (one insert: quick).
    const keptSince = performance.now();
    const next = await call<{ id: string }>(a, 'POST', `/api/documents/${DOC}/rounds`, cast.office, {
      amendmentDeadline: Date.now() + 3600_000,
      subAmendmentDeadline: Date.now() + 7200_000,
    });
    expect(next.status).toBe(201);
    // Told, not merely expired: B reads it again well before its copy is old enough to be read anyway.
    const margin = SHARED_STORE_KEEP_MS - 1000 - (performance.now() - keptSince);
    expect(margin).toBeGreaterThan(0);
    await eventually(async () => expect((await latestRound(b.services.store, DOC))?.id).toBe(next.body.id), margin);
  });

  it('a deadline passing reaches the clients of every app once each, for a round opened on one of them', {
    timeout: 60_000,
  }, async () => {
    if (!cluster) throw new Error('the cluster of the test above is needed');
    const [a, b] = cluster.apps;
    if (!a || !b) throw new Error('two apps expected');
    const cast = await buildCast(a);
    const current = await call<{ round: { id: string; closedAt: number | null } | null }>(
      a,
      'GET',
      `/api/documents/${DOC}/rounds/current`,
      cast.office,
    );
    if (current.body.round && current.body.round.closedAt === null) {
      expect((await call(a, 'POST', `/api/rounds/${current.body.round.id}/close`, cast.office, {})).status).toBe(200);
    }
    const onA = await joinedSocket(a, cast.workers, DOC);
    const onB = await joinedSocket(b, cast.employers, DOC);
    const opened = await call<{ id: string }>(a, 'POST', `/api/documents/${DOC}/rounds`, cast.office, {
      amendmentDeadline: Date.now() + 1500,
      subAmendmentDeadline: Date.now() + 3600_000,
    });
    expect(opened.status).toBe(201);
    const passed = (events: { name: string; payload: unknown }[]) =>
      events
        .filter((e) => e.name === ServerEvent.RoundChanged)
        .map((e) => (e.payload as { round: RoundView }).round)
        .filter((r) => r.id === opened.body.id && !r.amendmentsOpen);
    for (const client of [onA, onB]) {
      await eventually(() => expect(passed(client.events).length).toBeGreaterThan(0), 10_000);
    }
    // Every event sent to each socket before its barrier has arrived: one each, not one per app.
    await socketBarrier(onA.socket, DOC);
    await socketBarrier(onB.socket, DOC);
    expect(passed(onA.events).map((r) => r.phase)).toEqual(['subAmendments']);
    expect(passed(onB.events).map((r) => r.phase)).toEqual(['subAmendments']);
    for (const client of [onA, onB]) client.socket.disconnect();
  });
});

import { createAdapter } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';
import type { Server } from 'socket.io';

/**
 * Puts socket.io on the Redis adapter: every room emission (document, group, Office, user rooms)
 * reaches the members' sockets on every process, and `fetchSockets` lists them all.
 *
 * The adapter fires its Redis calls without handling their failure; a rejected call would be an
 * unhandled rejection, which ends a Node process. So it gets guarded stand-ins for its two clients:
 * a call that fails while Redis is away is reported and dropped (socket.io events are not kept for
 * late delivery anyway), and the clients' own reconnects restore the subscriptions.
 */
export function attachRedisAdapter(
  io: Server,
  commands: Redis,
  subscriber: Redis,
  key: string,
  onError: (err: unknown) => void,
): void {
  io.adapter(
    createAdapter(guarded(commands, onError), guarded(subscriber, onError), {
      key,
      // Presence lists ask every process: a dead one must not hold them up for long.
      requestsTimeout: 2000,
      publishOnSpecificResponseChannel: true,
    }),
  );
}

type Callback = (err: Error | null, result?: unknown) => void;

/** Only what the adapter calls on an ioredis client (see @socket.io/redis-adapter's index.js and util.js). */
function guarded(client: Redis, onError: (err: unknown) => void) {
  const settle = (call: Promise<unknown>) =>
    call.catch((err: unknown) => {
      onError(err);
      return undefined;
    });
  const facade = {
    publish: (channel: string, message: string | Buffer) => settle(client.publish(channel, message)),
    subscribe: (...channels: (string | string[])[]) => settle(client.subscribe(...channels.flat())),
    psubscribe: (...patterns: (string | string[])[]) => settle(client.psubscribe(...patterns.flat())),
    unsubscribe: (...channels: (string | string[])[]) => settle(client.unsubscribe(...channels.flat())),
    punsubscribe: (...patterns: (string | string[])[]) => settle(client.punsubscribe(...patterns.flat())),
    // PUBSUB NUMSUB (how many processes to wait for); its error reaches the caller through the callback.
    send_command: (command: string, args: unknown[], callback: Callback) => {
      client.call(command, ...(args as string[])).then(
        (result) => callback(null, result),
        (err: Error) => callback(err),
      );
    },
    on: (event: string, listener: (...args: unknown[]) => void) => {
      client.on(event, listener);
      return facade;
    },
    off: (event: string, listener: (...args: unknown[]) => void) => {
      client.off(event, listener);
      return facade;
    },
    listenerCount: (event: string) => client.listenerCount(event),
  };
  return facade;
}

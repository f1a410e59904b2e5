import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../observability/logger.js';
import { decodeEnvelope, encodeEnvelope } from './codec.js';
import type { FanOut, FanOutMessage } from './FanOut.js';

interface Subscription {
  listener: (message: FanOutMessage) => void;
  onGap?: () => void;
}

/**
 * Fan-out over Redis pub/sub: one channel per section (`<prefix>section:<document>/<section>`), binary
 * messages (see codec.ts). Pub/sub keeps nothing: whatever is published while a subscriber's link is
 * down is lost to it, so after every reconnect this subscribes again and then tells each listener
 * (`onGap`) to catch up from the store; likewise once a new subscription is live.
 */
export class RedisFanOut implements FanOut {
  /** Tells this process's messages from the others' (a publisher receives its own messages too). */
  readonly processId = randomUUID();
  private readonly byChannel = new Map<string, Set<Subscription>>();
  private linkLost = false;
  private closed = false;
  private publishFailing = false;

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly prefix: string,
    private readonly log: Logger,
  ) {
    subscriber.on('messageBuffer', this.onMessage);
    subscriber.on('close', this.onClose);
    subscriber.on('ready', this.onReady);
  }

  channelOf(room: string): string {
    return `${this.prefix}section:${room}`;
  }

  publish(room: string, message: FanOutMessage): void {
    if (this.closed) return;
    const bytes = encodeEnvelope(this.processId, message);
    this.publisher.publish(this.channelOf(room), Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).then(
      () => {
        this.publishFailing = false;
      },
      (err: unknown) => {
        // The other processes catch up from the store once their own link comes back; ours is
        // the same Redis, so they will see a gap too. One line per outage, not per message.
        if (!this.publishFailing) this.log.warn({ err: String(err), room }, 'fan-out publish failed');
        this.publishFailing = true;
      },
    );
  }

  subscribe(room: string, listener: (message: FanOutMessage) => void, onGap?: () => void): () => void {
    const channel = this.channelOf(room);
    const subscription: Subscription = { listener, onGap };
    let set = this.byChannel.get(channel);
    if (!set) {
      set = new Set();
      this.byChannel.set(channel, set);
      // Queued while the link is down; sent as soon as it is back. Until Redis has taken it, what others
      // publish for the section passes this process by, while the listener may already have read the
      // store: once it is live the listener catches up, as after a reconnect.
      this.subscriber.subscribe(channel).then(
        () => this.gapOn(channel),
        (err: unknown) => this.log.warn({ err: String(err) }, 'subscribe failed'),
      );
    }
    set.add(subscription);
    return () => {
      const current = this.byChannel.get(channel);
      if (!current?.delete(subscription) || current.size > 0) return;
      this.byChannel.delete(channel);
      if (!this.closed) this.subscriber.unsubscribe(channel).catch(() => {});
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.subscriber.off('messageBuffer', this.onMessage);
    this.subscriber.off('close', this.onClose);
    this.subscriber.off('ready', this.onReady);
    this.byChannel.clear();
  }

  private readonly onMessage = (channel: Buffer, payload: Buffer): void => {
    const set = this.byChannel.get(channel.toString());
    if (!set) return;
    const envelope = decodeEnvelope(payload);
    if (!envelope) {
      this.log.warn({ channel: channel.toString() }, 'fan-out message not understood; dropped');
      return;
    }
    if (envelope.sender === this.processId) return;
    for (const { listener } of [...set]) {
      try {
        listener(envelope.message);
      } catch (err) {
        this.log.error({ err }, 'fan-out listener failed');
      }
    }
  };

  private readonly onClose = (): void => {
    this.linkLost = true;
  };

  private readonly onReady = (): void => {
    if (!this.linkLost) return;
    this.linkLost = false;
    void this.resubscribe();
  };

  /** After a reconnect: subscriptions first, then the gaps, so nothing published after a catch-up is missed. */
  private async resubscribe(): Promise<void> {
    const channels = [...this.byChannel.keys()];
    if (channels.length > 0) {
      try {
        await this.subscriber.subscribe(...channels);
      } catch (err) {
        // The link dropped again: the next `ready` starts over.
        this.log.warn({ err: String(err) }, 'resubscribe failed');
        return;
      }
    }
    for (const channel of channels) this.gapOn(channel);
  }

  private gapOn(channel: string): void {
    if (this.closed) return;
    for (const { onGap } of [...(this.byChannel.get(channel) ?? [])]) {
      try {
        onGap?.();
      } catch (err) {
        this.log.error({ err }, 'fan-out gap handler failed');
      }
    }
  }
}

import { SUB_STORES, type Store } from '../storage/Store.js';
import type { Metrics } from './metrics.js';

function timed<T extends object>(target: T, prefix: string, metrics: Metrics): T {
  // Keyed by the function itself, not its name: a method replaced on the store (tests inject
  // failures that way) is timed as the new one, never served from a stale wrapper.
  const wrapped = new WeakMap<(...args: unknown[]) => unknown, unknown>();
  return new Proxy(target, {
    get(obj, key, receiver) {
      const value = Reflect.get(obj, key, receiver);
      if (typeof value !== 'function' || typeof key !== 'string') return value;
      const original = value as (...args: unknown[]) => unknown;
      const cached = wrapped.get(original);
      if (cached) return cached;
      const method = `${prefix}${key}`;
      const fn = (...args: unknown[]) => {
        const end = metrics.storeSeconds.startTimer({ method });
        let result: unknown;
        try {
          result = original.apply(obj, args);
        } catch (err) {
          end();
          throw err;
        }
        if (result instanceof Promise) return result.finally(end);
        end();
        return result;
      };
      wrapped.set(original, fn);
      return fn;
    },
  });
}

/** Times an object's methods and those of its sub-stores (`amendments.create`…), with a name prefix. */
function timedWithSubStores<T extends object>(target: T, prefix: string, metrics: Metrics): T {
  const subStores = new WeakMap<object, unknown>();
  const top = timed(target, prefix, metrics);
  return new Proxy(top, {
    get(obj, key, receiver) {
      const value: unknown = Reflect.get(obj, key, receiver);
      if (
        typeof key !== 'string' ||
        !(SUB_STORES as readonly string[]).includes(key) ||
        typeof value !== 'object' ||
        value === null
      )
        return value;
      let proxied = subStores.get(value);
      if (!proxied) {
        proxied = timed(value, `${prefix}${key}.`, metrics);
        subStores.set(value, proxied);
      }
      return proxied;
    },
  });
}

/**
 * The store, with the latency of every call recorded by method name (`appendUpdate`,
 * `amendments.create`…): the same object to its callers, whatever implements it. Calls made inside a
 * transaction are timed too, as `tx.appendUpdate`, `tx.amendments.update`… (the transaction as a whole
 * is `transaction`).
 */
export function timedStore(store: Store, metrics: Metrics): Store {
  const top = timedWithSubStores(store, '', metrics);
  return new Proxy(top, {
    get(obj, key, receiver) {
      const value = Reflect.get(obj, key, receiver);
      if (key !== 'transaction' || typeof value !== 'function') return value;
      const transaction = value as Store['transaction'];
      const wrapped: Store['transaction'] = (work, options) =>
        transaction((tx) => work(timedWithSubStores(tx, 'tx.', metrics)), options);
      return wrapped;
    },
  });
}

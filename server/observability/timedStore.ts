import type { Store } from '../storage/Store.js';
import type { Metrics } from './metrics.js';

const SUB_STORES = ['amendments', 'threads', 'rounds', 'versions', 'audit', 'imports'] as const;

function timed<T extends object>(target: T, prefix: string, metrics: Metrics): T {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(target, {
    get(obj, key, receiver) {
      const value = Reflect.get(obj, key, receiver);
      if (typeof value !== 'function' || typeof key !== 'string') return value;
      const cached = wrapped.get(key);
      if (cached) return cached;
      const method = `${prefix}${key}`;
      const fn = function (this: unknown, ...args: unknown[]) {
        const end = metrics.storeSeconds.startTimer({ method });
        let result: unknown;
        try {
          result = (value as (...a: unknown[]) => unknown).apply(obj, args);
        } catch (err) {
          end();
          throw err;
        }
        if (result instanceof Promise) return result.finally(end);
        end();
        return result;
      };
      wrapped.set(key, fn);
      return fn;
    },
  });
}

/**
 * The store, with the latency of every call recorded by method name (`appendUpdate`,
 * `amendments.create`…): the same object to its callers, whatever implements it.
 */
export function timedStore(store: Store, metrics: Metrics): Store {
  const subStores = new Map<PropertyKey, unknown>(
    SUB_STORES.map((name) => [name, timed(store[name], `${name}.`, metrics)]),
  );
  const top = timed(store, '', metrics);
  return new Proxy(top, {
    get(obj, key, receiver) {
      return subStores.get(key) ?? Reflect.get(obj, key, receiver);
    },
  });
}

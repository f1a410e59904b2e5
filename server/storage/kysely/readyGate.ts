import { SUB_STORES } from '../Store.js';

const SUB_STORE_NAMES = new Set<PropertyKey>(SUB_STORES);

/**
 * The store, each of its methods (and its sub-stores' methods) first waiting for `ready` — the
 * migrations, which run asynchronously while callers already hold the store. Once ready, calls pass
 * straight through; a failed migration fails every call with its error.
 */
export function afterReady<T extends object>(store: T, ready: Promise<void>, passThrough: ReadonlySet<PropertyKey>): T {
  let isReady = false;
  ready.then(
    () => {
      isReady = true;
    },
    () => {},
  );
  const wrap = <O extends object>(object: O, top: boolean): O => {
    // Cached per value: callers (timedStore) key their own wrappers by function, and a test that
    // replaces a method must get its replacement.
    const cache = new Map<PropertyKey, { of: unknown; wrapper: unknown }>();
    return new Proxy(object, {
      get(obj, prop) {
        const value: unknown = Reflect.get(obj, prop, obj);
        const cached = cache.get(prop);
        if (cached && cached.of === value) return cached.wrapper;
        let wrapper: unknown;
        if (top && SUB_STORE_NAMES.has(prop) && typeof value === 'object' && value !== null)
          wrapper = wrap(value, false);
        else if (typeof value !== 'function') return value;
        else {
          const fn = value as (...a: unknown[]) => unknown;
          if (top && passThrough.has(prop)) wrapper = fn.bind(obj);
          // Closing waits for the migrations to end, and closes also after they failed.
          else if (top && prop === 'close')
            wrapper = () =>
              ready.then(
                () => fn.apply(obj),
                () => fn.apply(obj),
              );
          else
            wrapper = (...args: unknown[]) => (isReady ? fn.apply(obj, args) : ready.then(() => fn.apply(obj, args)));
        }
        cache.set(prop, { of: value, wrapper });
        return wrapper;
      },
    });
  };
  return wrap(store, true);
}

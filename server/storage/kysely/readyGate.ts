const SUB_STORES = new Set<PropertyKey>([
  'amendments',
  'threads',
  'rounds',
  'versions',
  'audit',
  'imports',
  'corrections',
]);

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
  const wrap = <O extends object>(object: O, top: boolean): O =>
    new Proxy(object, {
      get(obj, prop) {
        const value: unknown = Reflect.get(obj, prop, obj);
        if (top && SUB_STORES.has(prop) && typeof value === 'object' && value !== null) return wrap(value, false);
        if (typeof value !== 'function') return value;
        const fn = value as (...a: unknown[]) => unknown;
        if (top && passThrough.has(prop)) return fn.bind(obj);
        // Closing waits for the migrations to end, and closes also after they failed.
        if (top && prop === 'close')
          return () =>
            ready.then(
              () => fn.apply(obj),
              () => fn.apply(obj),
            );
        return (...args: unknown[]) => (isReady ? fn.apply(obj, args) : ready.then(() => fn.apply(obj, args)));
      },
    });
  return wrap(store, true);
}

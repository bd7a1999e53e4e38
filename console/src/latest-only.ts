/**
 * Keeps the answer of the latest request only: a search answered after a newer one was sent is
 * dropped (and so is its failure), so a slow first page cannot overwrite the results of the filter
 * the user typed since.
 */
export type Outcome<T> = { readonly current: true; readonly value: T } | { readonly current: false };

export function latestOnly<T>(): (request: Promise<T>) => Promise<Outcome<T>> {
  let latest = 0;
  return async (request) => {
    const seq = ++latest;
    try {
      const value = await request;
      return seq === latest ? { current: true, value } : { current: false };
    } catch (error) {
      // A stale request's failure is as irrelevant as its answer.
      if (seq === latest) throw error;
      return { current: false };
    }
  };
}

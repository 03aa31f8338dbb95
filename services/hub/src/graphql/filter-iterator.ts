/**
 * An async iterator yielding only what `keep` accepts. `return()` goes straight to the source, so a
 * client that unsubscribes releases the source at once even while no value is flowing.
 */
export function filterAsyncIterator<T>(
  source: AsyncIterator<T>,
  keep: (value: T) => boolean,
): AsyncIterableIterator<T> {
  return {
    async next(): Promise<IteratorResult<T>> {
      for (;;) {
        const result = await source.next();
        if (result.done || keep(result.value)) return result;
      }
    },
    return(value?: unknown): Promise<IteratorResult<T>> {
      return source.return ? source.return(value) : Promise.resolve({ done: true, value: undefined });
    },
    throw(error?: unknown): Promise<IteratorResult<T>> {
      return source.throw ? source.throw(error) : Promise.reject(error);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/**
 * Map items through an async function with at most `limit` calls in flight, keeping the input order of
 * results. The first failure is thrown after the calls already started have settled.
 */
export async function inParallel<T, R>(
  items: Iterable<T>,
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const list = [...items];
  const results = new Array<R>(list.length);
  let next = 0;
  let failure: { error: unknown } | null = null;
  const worker = async (): Promise<void> => {
    while (failure === null && next < list.length) {
      const index = next++;
      try {
        results[index] = await work(list[index] as T, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, list.length) }, worker));
  if (failure !== null) throw (failure as { error: unknown }).error;
  return results;
}

/** `items` in arrays of `size` (the last one shorter, none when there are no items); a generator's
 *  items are taken only as each array is asked for. */
export function* chunksOf<T>(items: Iterable<T>, size: number): Generator<T[], void> {
  if (!Number.isSafeInteger(size) || size < 1) throw new RangeError("chunksOf: size must be a positive integer");
  let chunk: T[] = [];
  for (const item of items) {
    chunk.push(item);
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

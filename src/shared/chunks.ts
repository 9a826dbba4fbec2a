export function* chunksOf<T>(items: readonly T[], size: number): Generator<T[]> {
  if (!Number.isSafeInteger(size) || size < 1) throw new RangeError("chunksOf: size must be a positive integer");
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}

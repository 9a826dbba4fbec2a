// Ids for the rows the updater adds: UUIDv7 (RFC 9562), whose first 48 bits are the Unix time in
// milliseconds. New ids sort after every id made before them, so a B-tree keyed by them (each
// primary key, and the node runs' index on their run's id) grows at its right-most pages instead
// of at random pages all over the index: the runs step writes faster, the more so the larger the
// tables (README, Performance). The platform's own ids are random (v4); both are plain uuids to it.
import { randomUUID } from "node:crypto";

/** The first 15 characters, for the millisecond they were made in: ids come thousands a second. */
let prefixTime = -1;
let prefix = "";

/** A UUIDv7: `now`'s 48-bit millisecond time, version 7, then a v4's random bits and variant. Made
 *  from node's randomUUID (it draws from a cached entropy pool) rather than taken from the `uuid`
 *  package, whose v7 draws fresh random bytes for every id and was many times slower (README). */
export function timeOrderedId(now: number = Date.now()): string {
  if (now !== prefixTime) {
    const time = now.toString(16).padStart(12, "0");
    prefix = `${time.slice(0, 8)}-${time.slice(8)}-7`;
    prefixTime = now;
  }
  return prefix + randomUUID().slice(15);
}

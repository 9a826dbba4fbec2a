// Ids for the rows the updater adds: UUIDv7 (RFC 9562), time-ordered, so each B-tree keyed by them
// (primary keys, the node runs' run-id index) grows at its right-most pages, not all over (README,
// Performance). The platform's own ids are random (v4); both are plain uuids to it.
import { randomUUID } from "node:crypto";

/** The first 15 characters, for the millisecond they were made in: ids come thousands a second. */
let prefixTime = -1;
let prefix = "";

/** `now`'s 48-bit millisecond time, version 7, then a v4's random bits and variant: node's randomUUID
 *  draws from a cached entropy pool, the `uuid` package's v7 fresh bytes for every id (README). */
export function timeOrderedId(now: number = Date.now()): string {
  if (now !== prefixTime) {
    const time = now.toString(16).padStart(12, "0");
    prefix = `${time.slice(0, 8)}-${time.slice(8)}-7`;
    prefixTime = now;
  }
  return prefix + randomUUID().slice(15);
}

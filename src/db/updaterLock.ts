// The advisory lock that serialises updaters on one database (src/updateTestData.ts takes it for
// its transaction). A module of its own so the lock-wait watcher can tell it apart without
// importing the updater: an updater waiting for another says so itself.

/** Any constant shared by all updaters: the key of the lock that serialises them. */
export const UPDATER_LOCK_KEY = 0x41475054; // "AGPT"

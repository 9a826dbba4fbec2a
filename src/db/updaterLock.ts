// The advisory lock serialising updaters on one database (taken in src/updateTestData.ts). Its own module
// lets the lock-wait watcher name an updater waiting for another without importing the updater.

/** Any constant will do, as long as all updaters share it. */
export const UPDATER_LOCK_KEY = 0x41475054; // "AGPT"

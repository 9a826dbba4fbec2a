// This tool writes fake data: a database on another machine is refused unless the user says so.
import { isIP } from "node:net";
import { CommandError } from "../shared/errors.js";

export const ALLOW_REMOTE_ENV = "ALLOW_REMOTE_DATABASE";

/** localhost, 127.0.0.0/8, ::1, or a Unix socket directory. */
export function isLocalHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (h === "" || h.startsWith("/") || h === "localhost" || h.endsWith(".localhost")) return true;
  if (isIP(h) === 4) return h.startsWith("127.");
  if (isIP(h) === 6) return h === "::1" || h === "0:0:0:0:0:0:0:1" || /^::ffff:127\./.test(h);
  return false;
}

export function refuseRemoteHost(host: string, allowRemote: boolean): void {
  if (allowRemote || isLocalHost(host)) return;
  throw new CommandError(
    `refusing to write test data to ${host}, which is not this machine: pass --allow-remote ` +
      `(or set ${ALLOW_REMOTE_ENV}=1) if that database is really meant for test data`,
  );
}

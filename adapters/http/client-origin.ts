import { createHash } from "node:crypto";

/** An opaque token of a client address: enough to count per address, not to recover it. */
export function originOf(address: string): string {
  return createHash("sha256").update(`ocop-web:${address}`).digest("base64url").slice(0, 16);
}

import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Thrown when another live process already uses the data directory. */
export class DataDirBusyError extends Error {}

/**
 * Takes an exclusive lock on an embedded database directory, because two processes opening one
 * PGlite directory would corrupt it. A lock left by a dead process is taken over.
 * Returns the function that releases it.
 */
export function lockDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, "ocop.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, String(process.pid), { flag: "wx" });
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number(readFileSync(path, "utf8"));
      if (isAlive(owner)) {
        throw new DataDirBusyError(`data directory ${dir} is in use by process ${owner}; stop it or set DATA_DIR to another folder`);
      }
      rmSync(path, { force: true });
    }
  }
  throw new DataDirBusyError(`could not lock data directory ${dir}`);
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

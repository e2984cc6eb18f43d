/**
 * Builds the service once before the tests (`npm start` would build it at its first start, and each test
 * file that starts the service would otherwise build it at the same time).
 */
import { execFileSync } from "node:child_process";
import { projectRoot } from "./processes.ts";

export default function setup(): void {
  execFileSync(process.execPath, ["app/start.mjs", "--build"], { cwd: projectRoot, stdio: "inherit" });
}

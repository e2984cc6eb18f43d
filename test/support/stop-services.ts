/**
 * Setup file of every test file: once a file's tests are done, whether they passed, failed or timed out,
 * every process they started with `runScript` is killed. (The runner may end its worker with a signal,
 * and an exit hook alone does not run then.)
 */
import { afterAll } from "vitest";
import { killStarted } from "./processes.ts";

afterAll(() => killStarted());

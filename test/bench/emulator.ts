/**
 * The webhook benchmark's side of the Telegram Bot API emulator, which runs in a child process of its
 * own (emulator-process.ts): the bots' calls are answered there, so they neither compete with the
 * load generator for its event loop nor pile up in its memory.
 */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { projectRoot } from "../support/processes.ts";

/** A running emulator process. */
export interface Emulator {
  /** The value for grammY's `client.apiRoot`. */
  readonly apiRoot: string;
  /** When the first reply to `chatId` reached the emulator, in epoch ms; only with `reportReplies`. */
  replyTime(chatId: string): Promise<number>;
  /** How many messages the bot has sent so far. */
  sentCount(): Promise<number>;
  stop(): Promise<void>;
}

/** Starts the emulator for the bot with this token; with `reportReplies` it reports each reply's arrival. */
export async function startEmulator(token: string, reportReplies = false): Promise<Emulator> {
  const child = fork(fileURLToPath(new URL("./emulator-process.ts", import.meta.url)), [], {
    cwd: projectRoot,
    execArgv: ["--import", "tsx"],
    env: { ...process.env, BOT_TOKEN: token, REPORT_REPLIES: reportReplies ? "1" : "0" },
  });
  const exit = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const replies = new Map<string, number>();
  const waiting = new Map<string, (at: number) => void>();
  let counted: ((count: number) => void) | undefined;
  const apiRoot = await new Promise<string>((resolve, reject) => {
    void exit.then(() => reject(new Error("the Telegram emulator exited")));
    child.on("message", ({ apiRoot, chatId, at, sentCount }: { apiRoot?: string; chatId?: string; at?: number; sentCount?: number }) => {
      if (apiRoot) return resolve(apiRoot);
      if (sentCount !== undefined) return counted?.(sentCount);
      if (replies.has(chatId!)) return;
      replies.set(chatId!, at!);
      waiting.get(chatId!)?.(at!);
    });
  });
  return {
    apiRoot,
    replyTime(chatId) {
      const at = replies.get(chatId);
      if (at !== undefined) return Promise.resolve(at);
      return new Promise((resolve, reject) => {
        waiting.set(chatId, resolve);
        setTimeout(() => reject(new Error(`no reply to chat ${chatId} within 60 s`)), 60_000).unref();
      });
    },
    sentCount() {
      return new Promise((resolve) => {
        counted = resolve;
        child.send({ count: true });
      });
    },
    async stop() {
      child.kill("SIGKILL");
      await exit;
    },
  };
}

/**
 * The Telegram Bot API emulator as a child process of the webhook benchmark (see emulator.ts).
 * Env: BOT_TOKEN, and REPORT_REPLIES=1 to report replies. Over IPC it sends `{ apiRoot }` once
 * listening, then (when reporting) `{ chatId, at }` for each message a bot sends, with `at` in
 * milliseconds since the epoch, sub-millisecond and comparable across processes.
 */
import { startTelegramEmulator } from "../support/telegram-emulator.ts";

const telegram = await startTelegramEmulator({ token: process.env.BOT_TOKEN! });
const send = (message: object) => process.send!(message);
if (process.env.REPORT_REPLIES === "1") {
  // Reported only when asked: under full load one IPC message per reply would load the benchmark itself.
  telegram.onSent((payload) => send({ chatId: String(payload.chat_id), at: performance.timeOrigin + performance.now() }));
}
send({ apiRoot: telegram.apiRoot });
// The benchmark kills this process; a disconnect means the benchmark itself has gone.
process.on("disconnect", () => process.exit(0));

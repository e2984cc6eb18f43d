/**
 * The Telegram Bot API emulator as a child process of the webhook benchmark (see emulator.ts).
 * Env: BOT_TOKEN, and REPORT_REPLIES=1 to report replies. Over IPC it sends `{ apiRoot }` once
 * listening, then (when reporting) `{ chatId, at }` for each message a bot sends, with `at` in
 * milliseconds since the epoch, sub-millisecond and comparable across processes. Asked `{ count: true }`,
 * it answers `{ sentCount }`, the number of messages the bot has sent so far.
 */
import { startTelegramEmulator } from "../support/telegram-emulator.ts";

const telegram = await startTelegramEmulator({ token: process.env.BOT_TOKEN! });
const send = (message: object) => process.send!(message);
if (process.env.REPORT_REPLIES === "1") {
  // Reported only when asked: under full load one IPC message per reply would load the benchmark itself.
  telegram.onSent((payload) => send({ chatId: String(payload.chat_id), at: performance.timeOrigin + performance.now() }));
}
process.on("message", (message: { count?: boolean }) => {
  if (message.count) send({ sentCount: telegram.sent().length });
});
send({ apiRoot: telegram.apiRoot });
// The benchmark kills this process; a disconnect means the benchmark itself has gone.
process.on("disconnect", () => process.exit(0));

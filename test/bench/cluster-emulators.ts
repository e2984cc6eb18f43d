/**
 * The Telegram and Zalo emulators of the cluster benchmark, in a child process of their own so that the
 * instances' API calls are answered outside the load generator's event loop. Env: TELEGRAM_TOKEN, ZALO_TOKEN.
 *
 * Over IPC it sends `{ ready: { telegram, zalo } }` (the API roots) once listening, then `{ sent }` for each
 * message the bots deliver: channel, chat id, text, whether it has buttons, and `at` in epoch milliseconds.
 * Asked `{ id, fail: ms }` it makes the Telegram API fail for that long; `{ id, callback: chatId }` answers
 * with a button press on the chat's latest message; `{ id, report: true }` answers with the webhook calls.
 */
import { startTelegramEmulator } from "../support/telegram-emulator.ts";
import { startZaloEmulator } from "../support/zalo-emulator.ts";

const telegram = await startTelegramEmulator({ token: process.env.TELEGRAM_TOKEN! });
const zalo = await startZaloEmulator({ token: process.env.ZALO_TOKEN!, envelope: "top-level" });
const send = (message: object) => process.send!(message);
const now = () => performance.timeOrigin + performance.now();

telegram.onSent((payload) =>
  send({ sent: { channel: "telegram", chatId: String(payload.chat_id), text: String(payload.text), buttons: Boolean(payload.reply_markup), at: now() } }),
);
// The Zalo emulator records its calls in a list: new successful sends are forwarded as they appear.
let zaloSeen = 0;
setInterval(() => {
  for (; zaloSeen < zalo.sent.length; zaloSeen++) {
    const call = zalo.sent[zaloSeen]!;
    if (call.method === "sendMessage" && call.status === 200) {
      send({ sent: { channel: "zalo", chatId: String(call.body.chat_id), text: String(call.body.text), buttons: false, at: now() } });
    }
  }
}, 5).unref();

process.on("message", (message: { id: number; fail?: number; callback?: number; report?: boolean }) => {
  if (message.fail !== undefined) {
    telegram.failFor(message.fail);
    send({ id: message.id });
  } else if (message.callback !== undefined) {
    send({ id: message.id, update: telegram.makeCallbackUpdate({ chatId: message.callback, data: "1" }) });
  } else if (message.report) {
    const webhookCalls = (method: string) => telegram.calls.filter((call) => call.method.toLowerCase() === method);
    send({
      id: message.id,
      report: {
        telegramSetWebhook: webhookCalls("setwebhook").filter((call) => call.ok).length,
        telegramSetWebhookRefused: webhookCalls("setwebhook").filter((call) => !call.ok).length,
        zaloSetWebhook: zalo.sent.filter((call) => call.method === "setWebhook" && call.status === 200).length,
      },
    });
  }
});
send({ ready: { telegram: telegram.apiRoot, zalo: zalo.apiBase } });
// The benchmark kills this process; a disconnect means the benchmark itself has gone.
process.on("disconnect", () => process.exit(0));

/**
 * The bare grammY echo bot the webhook benchmark compares against: a webhook that answers each text
 * message by echoing it, replying before it acknowledges (grammY's usual webhook mode).
 * Env: BOT_TOKEN, TELEGRAM_API_ROOT, PORT. Prints "ready" when listening.
 */
import { createServer } from "node:http";
import { Bot, webhookCallback } from "grammy";

const bot = new Bot(process.env.BOT_TOKEN!, {
  client: { apiRoot: process.env.TELEGRAM_API_ROOT! },
  botInfo: {
    id: 1, is_bot: true, first_name: "Echo", username: "echo_bot", can_join_groups: true,
    can_read_all_group_messages: false, supports_inline_queries: false, can_connect_to_business: false,
    has_main_web_app: false, has_topics_enabled: false, allows_users_to_create_topics: false,
    can_manage_bots: false, supports_join_request_queries: false,
  } as never,
});
bot.on("message:text", (ctx) => ctx.reply(ctx.message.text));
createServer(webhookCallback(bot, "http")).listen(Number(process.env.PORT), "127.0.0.1", () => console.log("ready"));

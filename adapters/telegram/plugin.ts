import type { ChannelPlugin } from "../channel-plugin.ts";

/** Telegram, on when TELEGRAM_BOT_TOKEN is set. grammY is loaded only then (./channel.ts). */
export const telegramPlugin: ChannelPlugin = {
  name: "telegram",
  canPush: true,
  enabled: (config) => config.TELEGRAM_BOT_TOKEN !== undefined,
  async create(config, { logger, onEvent, publicUrl, exclusive }) {
    const { createTelegramChannel } = await import("./channel.ts");
    return createTelegramChannel({
      token: config.TELEGRAM_BOT_TOKEN!,
      apiRoot: config.TELEGRAM_API_ROOT ?? "https://api.telegram.org",
      logger,
      onEvent,
      exclusive,
      ...(publicUrl ? { webhook: { publicUrl, secret: config.TELEGRAM_WEBHOOK_SECRET! } } : {}),
    });
  },
};

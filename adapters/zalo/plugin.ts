import type { ChannelPlugin } from "../channel-plugin.ts";

/** Zalo Bot Platform, on when ZALO_BOT_TOKEN is set. Its HTTP client is loaded only then (./channel.ts). */
export const zaloPlugin: ChannelPlugin = {
  name: "zalo",
  canPush: true,
  enabled: (config) => config.ZALO_BOT_TOKEN !== undefined,
  async create(config, { logger, onEvent, publicUrl, exclusive }) {
    const [{ createZaloChannel }, { DEFAULT_ZALO_API_BASE }] = await Promise.all([import("./channel.ts"), import("./client.ts")]);
    return createZaloChannel({
      token: config.ZALO_BOT_TOKEN!,
      apiBase: config.ZALO_API_BASE ?? DEFAULT_ZALO_API_BASE,
      logger,
      onEvent,
      exclusive,
      ...(publicUrl ? { webhook: { publicUrl, secret: config.ZALO_WEBHOOK_SECRET! } } : {}),
    });
  },
};

/**
 * The registry of messaging channels: every channel the service can run, one line each. The webhook
 * routes, the push check, the delivery sweep and the configuration all read from here; a new channel
 * is an adapter module exporting its plugin, its configuration entries, and a line below.
 */
import type { ChannelPlugin } from "../adapters/channel-plugin.ts";
import { messengerPlugin } from "../adapters/messenger/channel.ts";
import { telegramPlugin } from "../adapters/telegram/plugin.ts";
import { zaloPlugin } from "../adapters/zalo/plugin.ts";
import type { ChannelDirectory } from "../bot/ports.ts";

export const CHANNEL_PLUGINS: readonly ChannelPlugin[] = [telegramPlugin, zaloPlugin, messengerPlugin];

/** Whether a channel can push, by the registry: the web chat and the command line cannot. */
export const channelDirectory: ChannelDirectory = {
  canPush: (channel) => CHANNEL_PLUGINS.some((plugin) => plugin.name === channel && plugin.canPush),
};

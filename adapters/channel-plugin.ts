import { createHash, timingSafeEqual } from "node:crypto";
import type { Channel, ChannelWebhook } from "../bot/ports.ts";
import type { ChannelName, InboundEvent, Reply } from "../bot/types.ts";
import type { Config } from "./config.ts";
import type { Logger } from "./logger.ts";

/** The configuration as channels read it: each its own entries, with their defaults when absent. */
export type ChannelSettings = Partial<Config>;

/** What a channel is given when it is created. */
export interface ChannelContext {
  readonly logger: Logger;
  /** Receives each inbound event; resolves once it is recorded (the answer follows in the chat worker). */
  readonly onEvent: (event: InboundEvent) => Promise<unknown>;
  /** Set: receive by webhook at this public URL; unset: poll, for channels that can. */
  readonly publicUrl?: string;
  /**
   * Runs `work` while no other instance of the service runs work of the same name: instances starting
   * together register a webhook one after the other, and the later ones find it already registered.
   */
  readonly exclusive: <T>(name: string, work: () => Promise<T>) => Promise<T>;
}

/**
 * A messaging channel the service can run: one adapter module exports one, and the registry lists it.
 * Its configuration entries are in `adapters/config.ts`; it is on when `enabled` says its token is set.
 */
export interface ChannelPlugin {
  readonly name: ChannelName;
  /** Whether it can deliver a message the user did not just ask for (a notice, a reminder). */
  readonly canPush: boolean;
  enabled(config: ChannelSettings): boolean;
  /**
   * Creates the channel. A plugin whose SDK is heavy imports its channel module here rather than at the
   * top (see adapters/telegram/plugin.ts), so a service without that channel never loads the SDK.
   */
  create(config: ChannelSettings, context: ChannelContext): Promise<Channel>;
}

/** A webhook check: the request must carry `secret` in `header`, compared in constant time. */
export function secretHeader(header: string, secret: string): ChannelWebhook["verify"] {
  const expected = Buffer.from(secret);
  const name = header.toLowerCase();
  return ({ headers }) => {
    const given = headers[name];
    const matches = typeof given === "string" && Buffer.byteLength(given) === expected.length && timingSafeEqual(Buffer.from(given), expected);
    return matches ? { ok: true } : { ok: false, status: 401, error: `wrong or missing ${header}` };
  };
}

/** The public URL of a webhook path. */
export const webhookUrl = (publicUrl: string, path: string) => `${publicUrl.replace(/\/$/, "")}${path}`;

/**
 * The URL to register for a webhook: its public URL with a short fingerprint of the settings the
 * platform cannot report back (the secret), so reading the registered URL tells whether every setting
 * is current, and an instance finding it current need not register again.
 */
export function registrationUrl(publicUrl: string, path: string, settings: readonly string[]): string {
  const fingerprint = createHash("sha256").update(settings.join("\n")).digest("hex").slice(0, 12);
  return `${webhookUrl(publicUrl, path)}?v=${fingerprint}`;
}

/** For channels without buttons (or too many for them): the options as a numbered list; the user answers with the number. */
export function withNumberedOptions(reply: Reply): string {
  const buttons = reply.buttons ?? [];
  if (buttons.length === 0) return reply.text;
  const options = buttons.map((label, index) => `${index + 1}. ${label}`).join("\n");
  return `${reply.text}\n\n${options}\n(Trả lời bằng số / Reply with a number)`;
}

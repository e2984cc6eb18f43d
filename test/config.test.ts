import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../adapters/config.ts";

describe("loadConfig", () => {
  it("starts with nothing set: embedded database, port 3000, channels off", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ DATA_DIR: "./.data", PORT: 3000, LOG_LEVEL: "info" });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.TELEGRAM_BOT_TOKEN).toBeUndefined();
  });

  it("treats empty values as unset", () => {
    expect(loadConfig({ PORT: "", TELEGRAM_BOT_TOKEN: "  " }).PORT).toBe(3000);
  });

  it.each([
    [{ PORT: "abc" }, "PORT", "port number"],
    [{ PORT: "70000" }, "PORT", "0 to 65535"],
    [{ DATABASE_URL: "mysql://localhost/db" }, "DATABASE_URL", "postgres://"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL", "expected one of"],
    [{ PUBLIC_URL: "http://bot.example.vn" }, "PUBLIC_URL", "https://"],
    [{ TELEGRAM_BOT_TOKEN: "not-a-token" }, "TELEGRAM_BOT_TOKEN", "123456:ABC"],
    [{ ZALO_WEBHOOK_SECRET: "short" }, "ZALO_WEBHOOK_SECRET", "8-256"],
    [{ PUBLIC_URL: "https://bot.example.vn", TELEGRAM_BOT_TOKEN: "123:abc" }, "TELEGRAM_WEBHOOK_SECRET", "required"],
  ])("rejects %j naming %s", (env, variable, expected) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`${variable}: .*${expected}`));
  });

  it("names every bad variable at once", () => {
    expect(() => loadConfig({ PORT: "x", LOG_LEVEL: "y" })).toThrow(/PORT[\s\S]*LOG_LEVEL/);
  });
});

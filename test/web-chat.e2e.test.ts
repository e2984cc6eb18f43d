import { existsSync } from "node:fs";
import type { FastifyInstance } from "fastify";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { httpErrors } from "../adapters/http/errors.ts";
import { buildHttpServer } from "../adapters/http/server.ts";
import { openAssistant, type Assistant } from "../app/compose.ts";
import { testLogger } from "./support/logger.ts";

/** Debian's Chromium (`apt-get install chromium`); playwright's own browser builds cannot be downloaded here. */
const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
const title = hasChromium
  ? "web chat page in headless Chromium"
  : `web chat page in headless Chromium (skipped: ${CHROMIUM} is missing; apt-get install chromium)`;

// The machine has no internet: these keep Chromium from trying to reach Google's services.
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

describe.skipIf(!hasChromium)(title, () => {
  let assistant: Assistant;
  let server: FastifyInstance;
  let base: string;
  let browser: Browser;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    assistant = await openAssistant({ database: { memory: true }, logger: testLogger });
    server = buildHttpServer(assistant, testLogger);
    base = await server.listen({ port: 0, host: "127.0.0.1" });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  });
  afterEach(async () => {
    await context?.close();
    context = undefined;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await assistant?.close();
  });

  /** Opens the chat in a fresh browser context (so a fresh user id); collects console errors, CSP reports included. */
  async function openChat(width = 390, height = 800): Promise<{ page: Page; errors: string[] }> {
    context = await browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${base}/`);
    return { page, errors };
  }

  const botBubbles = (page: Page) => page.locator("#log .msg.bot:not(.typing) .bubble");
  const input = (page: Page) => page.getByLabel("Nhập câu hỏi");

  async function sendTyped(page: Page, text: string): Promise<void> {
    const before = await botBubbles(page).count();
    await input(page).fill(text);
    await input(page).press("Enter");
    await botBubbles(page).nth(before).waitFor();
  }

  it("serves the page, script and style with their content types and security headers", async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.headers.get("content-security-policy")).toBe(
      "default-src 'self'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' data:",
    );
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    expect(page.headers.get("cache-control")).toBe("no-cache");
    const html = await page.text();
    expect(html).toContain('lang="vi"');
    expect(html).toContain("Trợ lý OCOP Bắc Ninh");
    expect(html).not.toMatch(/https?:\/\//); // no external resources

    for (const [path, type] of [["/chat.js", "text/javascript"], ["/chat.css", "text/css"]] as const) {
      const response = await fetch(`${base}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe(`${type}; charset=utf-8`);
      expect(response.headers.get("cache-control")).toBe("no-cache");
      expect(await response.text()).not.toMatch(/https?:\/\//);
    }
  });

  it("answers a typed question with the answer, its sources line, and focus kept in the input", async () => {
    const { page, errors } = await openChat();
    await expect(page.locator("h1").textContent()).resolves.toBe("Trợ lý OCOP Bắc Ninh");
    await expect(botBubbles(page).first().textContent()).resolves.toContain("Xin chào");

    await sendTyped(page, "giấy chứng nhận OCOP có hiệu lực bao lâu");
    await page.locator("#log .msg.bot .bubble", { hasText: "36 tháng" }).waitFor();
    const sources = page.locator("#log .msg.bot .sources", { hasText: "Nguồn" });
    await sources.waitFor();
    expect(await sources.textContent()).toMatch(/^Nguồn: .*thời hạn giấy chứng nhận/);
    await expect(page.locator("#log .msg.user .bubble").last().textContent()).resolves.toBe(
      "giấy chứng nhận OCOP có hiệu lực bao lâu",
    );
    expect(await input(page).inputValue()).toBe("");
    expect(await page.evaluate<boolean>("document.activeElement === document.getElementById('input')")).toBe(true);
    expect(await page.getByRole("button", { name: "Gửi" }).isEnabled()).toBe(true);
    const userId = await page.evaluate<string | null>("localStorage.getItem('ocop-chat-user')");
    expect(userId).toMatch(/^[\w-]{16,}$/);

    await page.screenshot({ path: "/tmp/web-chat.png" });
    expect(errors).toEqual([]);
  });

  it("shows a typing indicator and disables the send button while waiting", async () => {
    const { page } = await openChat();
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.route("**/api/chat", async (route) => {
      await released;
      await route.continue();
    });
    await input(page).fill("xin chao");
    await input(page).press("Enter");
    await page.locator("#log .typing").waitFor();
    expect(await page.getByRole("button", { name: "Gửi" }).isDisabled()).toBe(true);
    release();
    await page.locator("#log .typing").waitFor({ state: "detached" });
    expect(await page.getByRole("button", { name: "Gửi" }).isEnabled()).toBe(true);
  });

  it("sends a suggestion chip and a quick-reply button as messages", async () => {
    const { page } = await openChat();
    await page.getByRole("button", { name: "Đi Phù Lãng thế nào?" }).click();
    await page.locator("#log .msg.bot .bubble", { hasText: "Phù Lãng" }).waitFor();
    expect(await page.evaluate<boolean>("document.activeElement === document.getElementById('input')")).toBe(true);

    await sendTyped(page, "xin chao");
    const quick = page.locator("#log .quick .chip");
    await quick.first().waitFor();
    const label = (await quick.first().textContent())!;
    const before = await botBubbles(page).count();
    await quick.first().click();
    await page.locator("#log .msg.user .bubble", { hasText: label }).waitFor();
    await botBubbles(page).nth(before).waitFor();
    // Quick replies belong to the last bot message only.
    expect(await page.locator("#log .msg.bot").nth(-1).locator(".quick").count()).toBeLessThanOrEqual(1);
    expect(await page.locator("#log .quick").count()).toBeLessThanOrEqual(1);
  });

  it("renders markup from the user and from the server as plain text", async () => {
    const { page } = await openChat();
    await sendTyped(page, "<b>xin chao</b>");
    await expect(page.locator("#log .msg.user .bubble").last().textContent()).resolves.toBe("<b>xin chao</b>");
    expect(await page.locator("#log b").count()).toBe(0);

    await page.route("**/api/chat", (route) =>
      route.fulfill({
        contentType: "application/json",
        body: JSON.stringify({
          user: "x",
          replies: [{ text: "<img src=x onerror=\"window.__xss=1\">\n<b>đậm</b>", buttons: ["<i>nút</i>"] }],
          intent: "question",
          sources: [{ id: "a", title: "<script>window.__xss=2</script>" }],
        }),
      }),
    );
    await sendTyped(page, "markup please");
    const last = botBubbles(page).last();
    expect(await last.textContent()).toBe("<img src=x onerror=\"window.__xss=1\">\n<b>đậm</b>");
    expect(await page.locator("#log .sources").last().textContent()).toBe("Nguồn: <script>window.__xss=2</script>");
    expect(await page.locator("#log .quick .chip").textContent()).toBe("<i>nút</i>");
    expect(await page.locator("#log img, #log b, #log i, #log script").count()).toBe(0);
    expect(await page.evaluate<unknown>("window.__xss")).toBeUndefined();
  });

  it("shows a polite error for 4xx (with the server's reason), 429 (the server's 'slow down'), 5xx (with its request id) and network failures", async () => {
    const { page } = await openChat();
    const replies: [number, string][] = [
      [400, JSON.stringify({ error: "\"text\" must be at most 10000 characters" })],
      [500, JSON.stringify(httpErrors.internal("0b6c2f4e-5d1a-4c3e-9f7a-2b8d6e1c0a93"))],
      [429, JSON.stringify(httpErrors.slowDown(7))],
    ];
    for (const [status, body] of replies) {
      await page.route("**/api/chat", (route) => route.fulfill({ status, contentType: "application/json", body }));
      await sendTyped(page, `lỗi ${status}`);
      await page.unroute("**/api/chat");
    }
    await page.route("**/api/chat", (route) => route.abort("connectionrefused"));
    await sendTyped(page, "mất mạng");

    const errors = await page.locator("#log .msg.error .bubble").allTextContents();
    expect(errors).toHaveLength(4);
    expect(errors[0]).toBe("Không gửi được câu hỏi: \"text\" must be at most 10000 characters");
    expect(errors[1]).toContain("hệ thống đang gặp sự cố");
    expect(errors[1]).not.toContain("internal error");
    expect(errors[1]).toContain("0b6c2f4e-5d1a-4c3e-9f7a-2b8d6e1c0a93"); // the id an operator finds in the log
    expect(errors[2]).toContain("đợi 7 giây");
    expect(errors[2]).toContain("wait 7 s");
    expect(errors[3]).toContain("Không kết nối được");
    expect(await input(page).inputValue()).toBe("mất mạng"); // kept so it can be sent again
    expect(await page.getByRole("button", { name: "Gửi" }).isEnabled()).toBe(true);
  });

  it("has no horizontal overflow at 360 px, before and after a long conversation", async () => {
    const { page } = await openChat(360, 740);
    const scrollWidth = () => page.evaluate<number>("document.documentElement.scrollWidth");
    expect(await scrollWidth()).toBeLessThanOrEqual(360);
    await sendTyped(page, "Sản phẩm 4 sao cần bao nhiêu điểm?");
    await sendTyped(page, `https://example.invalid/${"a".repeat(120)} xin chao`);
    expect(await scrollWidth()).toBeLessThanOrEqual(360);
    await page.screenshot({ path: "/tmp/web-chat-360.png" });
  });
});

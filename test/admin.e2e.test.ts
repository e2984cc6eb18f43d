import { existsSync } from "node:fs";
import type { FastifyInstance } from "fastify";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildHttpServer } from "../adapters/http/server.ts";
import { openAssistant, type Assistant } from "../app/compose.ts";
import { testLogger } from "./support/logger.ts";

/** Debian's Chromium (`apt-get install chromium`); playwright's own browser builds cannot be downloaded here. */
const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
const title = hasChromium ? "the operator console in headless Chromium" : `the operator console in headless Chromium (skipped: ${CHROMIUM} is missing; apt-get install chromium)`;
// The machine has no internet: these keep Chromium from trying to reach Google's services.
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

const PASSWORD = "a long enough passphrase";

describe.skipIf(!hasChromium)(title, () => {
  let assistant: Assistant;
  let server: FastifyInstance;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    assistant = await openAssistant({ database: { memory: true }, logger: testLogger });
    await assistant.console.operators.upsert({ email: "editor@ocop.test", password: PASSWORD, role: "editor" });
    server = buildHttpServer(assistant, testLogger);
    base = await server.listen({ port: 0, host: "127.0.0.1" });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await assistant?.close();
  });

  /** Chats through the public web chat route, as the page does. */
  async function chat(user: string, text: string): Promise<string> {
    const response = await fetch(`${base}/api/chat`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ user, text }) });
    const body = (await response.json()) as { replies: { text: string }[] };
    return body.replies.map((reply) => reply.text).join("\n");
  }

  /** The page is no wider than the screen: nothing to scroll sideways. */
  const fitsWidth = (page: Page) => page.evaluate<boolean>("document.documentElement.scrollWidth <= window.innerWidth");

  it("signs in, finds an order placed by chat and confirms it, edits a price the chat then quotes, at 360 px and without leaving the origin", async () => {
    for (const step of ["cho mình đặt 2 gói chè lam Trang Toàn", "Nguyễn Thị Hoa", "0987654321", "12 Nguyễn Gia Thiều, phường Kinh Bắc, Bắc Ninh"]) await chat("web-buyer", step);
    const code = /DH-[A-Z0-9]{5}/.exec(await chat("web-buyer", "xác nhận"))![0];

    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const requests: string[] = [];
    const errors: string[] = [];
    page.on("request", (request) => requests.push(request.url()));
    page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
    page.on("pageerror", (error) => errors.push(error.message));

    await page.goto(`${base}/admin`);
    await page.getByLabel("Email").fill("editor@ocop.test");
    await page.getByLabel("Mật khẩu").fill("wrong password here");
    await page.getByRole("button", { name: "Đăng nhập" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/Sai email hoặc mật khẩu/);
    await page.getByLabel("Mật khẩu").fill(PASSWORD);
    await page.getByRole("button", { name: "Đăng nhập" }).click();

    // The dashboard: figures and charts drawn by the bundled Chart.js.
    await page.locator("#chart-per-day").waitFor();
    expect(await page.locator(".figure .value").first().textContent()).toMatch(/^\d+$/);
    expect(await page.evaluate<string>("typeof window.Chart")).toBe("function");
    expect(await fitsWidth(page)).toBe(true);

    // Orders: the chat's order is there; confirm it.
    await page.getByRole("link", { name: "Đơn hàng" }).click();
    const card = page.locator(`article.order[data-code="${code}"]`);
    await card.waitFor();
    expect(await card.textContent()).toMatch(/chờ xác nhận/);
    expect(await card.textContent()).toMatch(/09•••••21/); // an editor sees the phone masked
    expect(await fitsWidth(page)).toBe(true);
    await card.locator('button[data-status="confirmed"]').click();
    await expect.poll(() => page.locator(`article.order[data-code="${code}"] .badge`).first().textContent()).toBe("đã xác nhận");
    expect((await assistant.console.orders.list({ code }, 1))[0]!.status).toBe("confirmed");

    // The catalogue: edit the price inline.
    await page.getByRole("link", { name: "Sản phẩm" }).click();
    const product = page.locator('article.product[data-id="che-lam-trang-toan"]');
    await product.waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await product.getByLabel("Giá (đồng)").fill("43000");
    await product.getByRole("button", { name: "Lưu" }).click();
    await expect.poll(() => product.locator(".notice").textContent()).toBe("Đã lưu.");
    expect(await chat("web-asker", "chè lam Trang Toàn giá bao nhiêu?")).toMatch(/43\.000/);

    // Conversations: the buyer's transcript, with intents.
    await page.getByRole("link", { name: "Hội thoại" }).click();
    await page.getByLabel("Tìm").fill("che lam");
    await page.getByRole("button", { name: "Tìm" }).click();
    await page.locator('a.conversation[href*="web-buyer"]').click();
    await page.locator(".transcript .turn").first().waitFor();
    expect(await page.locator(".transcript").textContent()).toMatch(/order_placed/);
    expect(await page.locator(".transcript").textContent()).not.toMatch(/0987654321/);
    expect(await fitsWidth(page)).toBe(true);

    // English on request.
    await page.getByRole("button", { name: "English" }).click();
    await page.getByRole("link", { name: "Orders" }).waitFor();

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("button", { name: "Sign in" }).waitFor();

    const foreign = requests.filter((url) => !url.startsWith(`${base}/`) && !url.startsWith("data:"));
    expect(foreign).toEqual([]);
    // The two 401s are expected: asking who is signed in before signing in, and the wrong password.
    expect(errors.filter((error) => !/status of 401/.test(error))).toEqual([]);
    await context.close();
  }, 60_000);

  it("fixes a question from the flag inbox with a curated answer, which then answers its paraphrase in the chat", async () => {
    await chat("web-lost", "Văn phòng OCOP tỉnh có làm việc thứ Bảy không?");
    await chat("web-lost", "van phong ocop tinh co lam viec thu bay khong");

    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
    await page.goto(`${base}/admin`);
    await page.getByLabel("Email").fill("editor@ocop.test");
    await page.getByLabel("Mật khẩu").fill(PASSWORD);
    await page.getByRole("button", { name: "Đăng nhập" }).click();
    await page.locator("#chart-per-day").waitFor();

    await page.getByRole("link", { name: "Cần xử lý" }).click();
    const card = page.locator("article.flag").filter({ hasText: "thứ Bảy" }).first();
    await card.waitFor();
    expect(await card.textContent()).toMatch(/người dùng hỏi lại/);
    expect(await fitsWidth(page)).toBe(true);
    await card.getByText("Viết câu trả lời").click();
    await card.getByLabel("Câu trả lời (tiếng Việt)").fill("Văn phòng nghỉ thứ Bảy và Chủ nhật.");
    await card.getByLabel("Câu trả lời (tiếng Anh)").fill("The office is closed on Saturdays and Sundays.");
    await card.getByLabel("Nguồn (tên)").fill("Văn phòng Điều phối OCOP tỉnh");
    await card.getByRole("button", { name: "Lưu" }).click();
    await page.getByText("Không có gì cần xử lý.").waitFor();

    expect(await chat("web-other", "văn phòng OCOP tỉnh có làm việc vào thứ bảy không vậy")).toMatch(/^Văn phòng nghỉ thứ Bảy và Chủ nhật\.\n\nNguồn: Văn phòng Điều phối OCOP tỉnh$/);
    await page.getByRole("link", { name: "Câu trả lời soạn sẵn" }).click();
    await page.locator("article.answer").first().waitFor();
    expect(await page.locator("article.answer").first().textContent()).toMatch(/van phong ocop tinh co lam viec thu bay khong/);
    expect(errors.filter((error) => !/status of 401/.test(error))).toEqual([]);
    await context.close();
  }, 60_000);

  it("hands a web chat user to an operator who answers from the console, and gives the conversation back", async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    const visitor = await context.newPage();
    await visitor.goto(`${base}/`);
    await visitor.getByLabel("Nhập câu hỏi").fill("cho tôi gặp nhân viên");
    await visitor.getByLabel("Nhập câu hỏi").press("Enter");
    await visitor.getByRole("button", { name: "Gặp nhân viên" }).click();
    await visitor.getByText(/Mình đã báo nhân viên/).waitFor();

    const console_ = await context.newPage();
    const errors: string[] = [];
    console_.on("console", (message) => message.type() === "error" && errors.push(message.text()));
    await console_.goto(`${base}/admin`);
    await console_.getByLabel("Email").fill("editor@ocop.test");
    await console_.getByLabel("Mật khẩu").fill(PASSWORD);
    await console_.getByRole("button", { name: "Đăng nhập" }).click();
    await console_.getByRole("link", { name: "Gặp nhân viên" }).click();
    await console_.locator("a.handoff").first().click();
    await console_.getByLabel("Tin nhắn gửi người dùng").fill("Chào bạn, mình là nhân viên trực, bạn cần hỗ trợ gì?");
    await console_.getByRole("button", { name: "Gửi" }).click();
    await console_.getByText("Đã gửi.").waitFor();
    expect(await fitsWidth(console_)).toBe(true);

    // The visitor's page collects the operator's message within a few seconds.
    await visitor.locator(".msg.bot.operator").filter({ hasText: "mình là nhân viên trực" }).waitFor({ timeout: 15_000 });
    await console_.getByRole("button", { name: "Trả lại cho trợ lý" }).click();
    await console_.getByText("Đã trả lại cho trợ lý.").waitFor();
    await visitor.locator(".msg.bot.operator").filter({ hasText: "tiếp tục hỗ trợ bạn" }).waitFor({ timeout: 15_000 });
    expect(errors.filter((error) => !/status of 401/.test(error))).toEqual([]);
    await context.close();
  }, 60_000);
});

import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, maskPersonalData } from "../adapters/logger.ts";

function capture() {
  const stream = new PassThrough();
  let output = "";
  stream.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  return { logger: createLogger("debug", stream), output: () => output };
}

describe("logs and personal data", () => {
  it("masks Vietnamese phone numbers however they are written", () => {
    for (const phone of ["0912345678", "0912 345 678", "091.234.5678", "+84 912 345 678", "84912345678", "024 3825 1234"]) {
      expect(maskPersonalData(`gọi ${phone} nhé`), phone).toBe("gọi [phone] nhé");
    }
    expect(maskPersonalData("order DH-7K3Q9, 2 gói, 90.000 đ, update 123456")).toBe("order DH-7K3Q9, 2 gói, 90.000 đ, update 123456");
  });

  it("keeps phone numbers, addresses and database row details out of every log line", async () => {
    const { logger, output } = capture();
    const failure = Object.assign(new Error("cannot deliver to 0912 345 678"), {
      code: "23514",
      detail: "Failing row contains (7, DH-ABCDE, Nguyễn Văn An, 0912345678, Số 5 Lý Thái Tổ).",
      where: "SQL statement",
    });
    logger.error({ err: failure, order: { phone: "0912345678", address: "Số 5 Lý Thái Tổ" } }, "placing order for 0912345678 failed");
    logger.info("buyer +84 912 345 678 confirmed");
    await new Promise((resolve) => setImmediate(resolve));
    const text = output();
    expect(text).toContain("placing order for [phone] failed");
    expect(text).toContain('"code":"23514"');
    for (const personal of ["0912345678", "912 345 678", "Lý Thái Tổ", "Failing row"]) expect(text).not.toContain(personal);
  });
});

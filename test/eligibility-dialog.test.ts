import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openAssistant, type Assistant } from "../app/compose.ts";
import { say } from "./support/conversation.ts";
import { testLogger } from "./support/logger.ts";

describe("support-eligibility dialog", () => {
  let assistant: Assistant;
  beforeAll(async () => {
    assistant = await openAssistant({ database: { memory: true }, logger: testLogger });
  });
  afterAll(() => assistant.close());
  const ask = (user: string, text: string) => say(assistant, user, text);

  it("asks one question at a time with buttons and lists the NQ 14 item for an SME (Vietnamese)", async () => {
    const first = await ask("sme", "Tôi có được hỗ trợ không?");
    expect(first.intent).toBe("eligibility_question");
    expect(first.replies[0]!.buttons).toContain("Doanh nghiệp nhỏ và vừa");
    expect((await ask("sme", "Doanh nghiệp nhỏ và vừa")).replies[0]!.buttons).toEqual(["Có", "Không"]);
    await ask("sme", "1"); // the first button: "Có"
    const result = await ask("sme", "Tuyên truyền, đào tạo, ấn phẩm về thương hiệu");
    expect(result.intent).toBe("eligibility_result");
    expect(result.replies[0]!.text).toContain("tối đa 100 triệu đồng/năm");
    expect(result.replies[0]!.text).toContain("Nghị quyết 14/2023/NQ-HĐND");
    expect(result.replies[0]!.text).toContain("Sở Công Thương");
    expect(result.sources.map((s) => s.id)).toContain("nghi-quyet-14-2023");
  });

  it("skips what the opening message says and marks Bắc Giang star rewards uncertain (unaccented)", async () => {
    const first = await ask("htx", "htx cua toi co duoc ho tro gi khong");
    expect(first.replies[0]!.text).toMatch(/Bắc Ninh/); // producer kind already known: asks registration first
    await ask("htx", "co");
    await ask("htx", "Thưởng khi sản phẩm được công nhận sao OCOP");
    await ask("htx", "1"); // OCOP sector
    await ask("htx", "4 sao");
    const result = await ask("htx", "1"); // first rating
    expect(result.intent).toBe("eligibility_result");
    expect(result.replies[0]!.text).toContain("150 triệu");
    expect(result.replies[0]!.text).toMatch(/Bắc Giang/);
  });

  it("takes the seat from a place in the province and the purpose from the producer's own words", async () => {
    // "ở Lục Ngạn (bắc giang cũ)" is a seat in the province; "thưởng", "4 sao", "lần đầu" answer three more questions.
    const htx = await ask("lucngan", "bên em là htx ở Lục Ngạn (bắc giang cũ), sp vừa được công nhận 4 sao lần đầu thì có được thưởng không ạ");
    expect(htx.replies[0]!.text).not.toMatch(/đặt trụ sở/);
    expect(htx.replies[0]!.text).not.toMatch(/hỗ trợ cho việc gì/);
    // "branding training" is the purpose: nothing is left to ask.
    const company = await ask("herbal-tea", "I run a small company registered in Bac Ninh. can we get support for branding training for staff?");
    expect(company.intent).toBe("eligibility_result");
    expect(company.replies[0]!.text).toContain("up to 100 million");
    // The product says the sector, "upgraded" the kind of rating: the reward is answered at once.
    const noodles = await ask("noodles", "We're a small cooperative in Luc Ngan (used to be Bac Giang). Our rice noodles just got upgraded from 3 to 4 stars - is there any cash reward?");
    expect(noodles.intent).toBe("eligibility_result");
    expect(noodles.replies[0]!.text).toContain("150 million");
    // A person asked for, pointing back at the result, is a person asked for.
    expect((await ask("herbal-tea", "can i talk to a real person about this")).intent).toMatch(/handoff/);
  });

  it("tells a household business that NQ 14 does not mention it (English)", async () => {
    await ask("household", "Am I eligible for support?");
    await ask("household", "Household business (production household with a business registration)");
    await ask("household", "Yes");
    const result = await ask("household", "Branding awareness, training and publications");
    expect(result.intent).toBe("eligibility_result");
    expect(result.replies[0]!.text).toContain("household businesses");
    expect(result.replies[0]!.text).toContain("Sources: ");
  });

  it("can be cancelled, and lets other questions through while it waits", async () => {
    await ask("curious", "toi co duoc ho tro khong");
    expect((await ask("curious", "giấy chứng nhận OCOP có hiệu lực bao lâu")).intent).toBe("question");
    expect((await ask("curious", "Hợp tác xã")).intent).toBe("eligibility_question");
    expect((await ask("curious", "hủy")).intent).toBe("eligibility_cancelled");
  });

  it("answers a direct question about one resolution from its rules, without a dialog", async () => {
    const household = await ask("direct", "hộ kinh doanh có được hỗ trợ theo nghị quyết 14 không?");
    expect(household.intent).toBe("eligibility_result");
    expect(household.replies[0]!.text).toContain("không nhắc đến hộ kinh doanh");
    const cooperative = await ask("direct", "htx co duoc ho tro theo nq 14 khong");
    expect(cooperative.replies[0]!.text).toContain("tối đa 100 triệu đồng/năm");
    expect(cooperative.replies[0]!.text).not.toContain("67/2023");
    expect(cooperative.sources.map((s) => s.id)).toContain("nghi-quyet-14-2023");
  });

  it("leaves other questions about a resolution to the knowledge base", async () => {
    expect((await ask("reader", "nghị quyết 14/2023 ban hành ngày nào")).intent).toBe("question");
  });
});

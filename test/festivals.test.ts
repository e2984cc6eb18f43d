import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openAssistant, type Assistant } from "../app/compose.ts";
import { findEvents, loadFestivalEvents, lunarToSolar, occurrencesInYear, occurrencesThisYear } from "../knowledge/festivals.ts";
import { say } from "./support/conversation.ts";
import { testLogger } from "./support/logger.ts";

const iso = (date: Date) => date.toISOString().slice(0, 10);

describe("lunar calendar", () => {
  // The conversions the fact sheet checked against two calendar libraries (and the press).
  it.each([
    [1, 1, 2027, "2027-02-06"],
    [13, 1, 2026, "2026-03-01"],
    [13, 1, 2027, "2027-02-18"],
    [6, 2, 2026, "2026-03-24"],
    [6, 2, 2027, "2027-03-13"],
    [6, 2, 2024, "2024-03-15"],
    [4, 1, 2026, "2026-02-20"],
    [4, 1, 2027, "2027-02-09"],
    [4, 1, 2024, "2024-02-13"],
    [12, 1, 2024, "2024-02-21"],
    [12, 1, 2023, "2023-02-02"],
    [6, 12, 2026, "2027-01-13"],
    [11, 12, 2026, "2027-01-18"],
    [16, 12, 2026, "2027-01-23"],
    [21, 12, 2026, "2027-01-28"],
    [26, 12, 2026, "2027-02-02"],
  ])("lunar %i/%i/%i is %s", (day, month, year, solar) => {
    expect(iso(lunarToSolar(day, month, year))).toBe(solar);
  });

  it("groups the five Đông Hồ market days into one event and finds events by alias", () => {
    const events = loadFestivalEvents();
    const market = findEvents("cho tranh dong ho nam 2027", events);
    expect(market.map((e) => e.key)).toEqual(["cho-tranh-dong-ho"]);
    expect(occurrencesInYear(market[0]!, 2027).map((o) => iso(o.start))).toEqual([
      "2027-01-13", "2027-01-18", "2027-01-23", "2027-01-28", "2027-02-02",
    ]);
    expect(findEvents("hội làng Diềm ngày nào", events).map((e) => e.key)).toEqual(["hoi-lang-diem"]);
    expect(findEvents("thời tiết hôm nay", events)).toEqual([]);
  });
});

describe("festival and score questions in the conversation", () => {
  let assistant: Assistant;
  beforeAll(async () => {
    // An injected clock: "today" is 10 January 2027, during the Đông Hồ print market month.
    assistant = await openAssistant({ database: { memory: true }, logger: testLogger, clock: () => new Date("2027-01-10T03:00:00Z") });
  });
  afterAll(() => assistant.close());
  const ask = (text: string, user = "tourist") => say(assistant, user, text);

  it.each([
    ["Hội Lim năm 2028 vào ngày nào?", "6/2/2028"],
    ["hoi lim nam 2028 ngay nao", "6/2/2028"],
    ["le hoi dong ky 2030 dien ra khi nao", "4–6 tháng Giêng"],
  ])("answers %j with the converted date", async (question, expected) => {
    const response = await ask(question);
    expect(response.intent).toBe("festival_date");
    expect(response.replies[0]!.text).toContain(expected);
    expect(response.replies[0]!.text).toMatch(/Nguồn: /);
    expect(response.sources.length).toBe(1);
  });

  it("answers an English speaker in English with the next occurrence", async () => {
    const response = await ask("When is the Lim festival?", "foreigner");
    expect(response.intent).toBe("festival_date");
    expect(response.replies[0]!.text).toContain("Wed 17/2/2027 – Thu 18/2/2027");
    expect(response.replies[0]!.text).toContain("Source: ");
  });

  it("lists this month's festivals relative to the injected today", async () => {
    const response = await ask("lễ hội tháng này có gì");
    expect(response.intent).toBe("festival_upcoming");
    expect(response.replies[0]!.text).toContain("Chợ tranh Đông Hồ");
    expect(response.replies[0]!.text).toContain("13/1/2027");
    expect(response.replies[0]!.text).not.toContain("Hội Lim");
  });

  it.each([
    ["sản phẩm được 72 điểm thì mấy sao?", "4 sao (70–89 điểm)"],
    ["san pham dat 91 diem xep hang may sao", "5 sao (90–100 điểm)"],
    ["55 diem dc may sao", "3 sao (50–69 điểm)"],
    ["My product scored 45 points, how many stars?", "2-star band (30–49 points)"],
    ["120 điểm thì mấy sao", "tối đa là 100 điểm"],
  ])("turns a score into stars: %j", async (question, expected) => {
    const response = await ask(question, "producer");
    expect(response.intent).toBe("score_to_stars");
    expect(response.replies[0]!.text).toContain(expected);
    expect(response.sources).toEqual([expect.objectContaining({ id: "ocop-cham-diem" })]);
  });

  it("explains that reminders need Telegram or Zalo in a chat that cannot be messaged later", async () => {
    const response = await ask("nhac toi truoc hoi Lim");
    expect(response.intent).toBe("reminder");
    expect(response.replies[0]!.text).toContain("chỉ dùng được trên Telegram và Zalo");
    expect(response.replies[0]!.text).toContain("17/2/2027");
  });

  it("leaves a festival question that is not about dates to the knowledge base", async () => {
    const response = await ask("hội Lim tổ chức ở đâu");
    expect(response.intent).toBe("question");
  });

  it.each([
    ["Hội Lim năm nay ngày nào?", "17/2/2027"],
    ["when is the Lim festival next year", "6/2/2028"],
    ["hoi lim nam ngoai la ngay nao", "1/3/2026"],
  ])("reads %j from the injected today", async (question, expected) => {
    const response = await ask(question, "relative-year");
    expect(response.intent).toBe("festival_date");
    expect(response.replies[0]!.text).toContain(expected);
  });
});

describe("this year's festivals, by the lunar year", () => {
  const events = loadFestivalEvents();
  const market = findEvents("chợ tranh Đông Hồ", events)[0]!;
  const lim = findEvents("hội Lim", events)[0]!;
  const days = (occurrences: ReturnType<typeof occurrencesThisYear>) => occurrences.map((o) => iso(o.start));

  it("in December, takes this lunar year's print market (in January) and this year's Hội Lim, which is past", () => {
    const december = new Date("2026-12-02T03:00:00Z");
    expect(days(occurrencesThisYear(market, december))[0]).toBe("2027-01-13");
    expect(days(occurrencesThisYear(lim, december))).toEqual(["2026-02-28"]);
  });

  it("in January, before Tết, takes the Hội Lim still to come", () => {
    expect(days(occurrencesThisYear(lim, new Date("2027-01-10T03:00:00Z")))).toEqual(["2027-02-17"]);
  });
});

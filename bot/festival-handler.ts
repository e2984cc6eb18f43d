import { eventsBetween, findEvents, nextOccurrences, occurrencesInYear, startOfDay, type FestivalEvent, type Occurrence } from "../knowledge/festivals.ts";
import type { Handler, Turn } from "./engine.ts";
import type { ReminderScheduler } from "./ports.ts";
import type { Language, SourceRef } from "./types.ts";

// A question about when: "ngày nào", "khi nào", "bao giờ", "when", a year…
const WHEN = /\b(ngay nao|ngay may|hom nao|khi nao|bao gio|luc nao|thang may|lich (le hoi|am)|when|what day|what date|dates?|schedule|nam \d{4}|\d{4})\b/;
const UPCOMING = /\b(le hoi|hoi lang|festivals?|phien cho|markets?)\b.*\b(sap toi|sap dien ra|thang nay|thang toi|tuan nay|gan day|upcoming|this month|next month|coming|soon)\b/;
const REMIND = /\b(nhac (toi|minh|em|anh|chi|giup|truoc|lich)|nhac .* truoc|bao (toi|minh) truoc|remind me|reminder)\b/;
const UPCOMING_WINDOW_DAYS = 60;
const WEEKDAYS = {
  vi: ["Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"],
  en: ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
} as const;
const LUNAR_MONTHS_VI = ["Giêng", "Hai", "Ba", "Tư", "Năm", "Sáu", "Bảy", "Tám", "Chín", "Mười", "Mười một", "Chạp"];

/**
 * Festival and market dates: lunar dates converted to solar dates for the year asked (or the next
 * occurrence), and "lễ hội sắp tới / this month" relative to today. Cites the festival's document.
 */
export function festivalHandler(
  events: readonly FestivalEvent[],
  titles: ReadonlyMap<string, { vi: string; en: string }>,
  reminders: ReminderScheduler,
): Handler {
  return async (turn) => {
    const found = findEvents(turn.text, events);
    const language = turn.language;
    if (found.length > 0 && REMIND.test(turn.folded)) return remind(found[0]!, turn, reminders, titles);
    if (found.length > 0 && WHEN.test(turn.folded)) {
      const year = /\b(20\d\d)\b/.exec(turn.folded)?.[1];
      const lines = found.map((event) => {
        const occurrences = year ? occurrencesInYear(event, Number(year)) : nextOccurrences(event, turn.now);
        return describe(event, occurrences, language, year);
      });
      return answer(lines, found, titles, language, "festival_date");
    }
    if (UPCOMING.test(turn.folded)) {
      const today = startOfDay(turn.now);
      const thisMonth = /thang nay|this month/.test(turn.folded);
      const until = thisMonth
        ? new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + 1, 0))
        : new Date(today.getTime() + UPCOMING_WINDOW_DAYS * 86_400_000);
      const soon = eventsBetween(events, today, until);
      if (soon.length === 0) {
        const next = eventsBetween(events, today, new Date(today.getTime() + 366 * 86_400_000))[0]!;
        const none = language === "en"
          ? `No festival or craft market in our calendar falls ${thisMonth ? "this month" : `in the next ${UPCOMING_WINDOW_DAYS} days`}. The next one:`
          : `Trong lịch của mình không có lễ hội hay phiên chợ nào ${thisMonth ? "trong tháng này" : `trong ${UPCOMING_WINDOW_DAYS} ngày tới`}. Sự kiện gần nhất:`;
        return answer([none, describe(next.event, next.occurrences, language)], [next.event], titles, language, "festival_upcoming");
      }
      return answer(soon.map(({ event, occurrences }) => describe(event, occurrences, language)), soon.map((s) => s.event), titles, language, "festival_upcoming");
    }
    return undefined;
  };
}

/** Schedules a message for 08:00 (Việt Nam) the day before the event's next occurrence. */
async function remind(event: FestivalEvent, turn: Turn, reminders: ReminderScheduler, titles: ReadonlyMap<string, { vi: string; en: string }>) {
  const en = turn.language === "en";
  const next = nextOccurrences(event, turn.now)[0];
  const entry = event.entries[0]!;
  const name = en ? entry.name_en.replace(/ – session.*$/, "") : entry.name.replace(/ – phiên.*$/, "");
  if (!next) return { replies: [{ text: en ? `I could not find the next date of ${name}.` : `Mình chưa tìm được ngày tới của ${name}.` }], intent: "reminder" };
  // 08:00 in Việt Nam (UTC+7) is 01:00 UTC.
  const at = new Date(next.start.getTime() - 86_400_000 + 3_600_000);
  const when = `${next.start.getUTCDate()}/${next.start.getUTCMonth() + 1}/${next.start.getUTCFullYear()}`;
  if (at.getTime() <= turn.now.getTime()) {
    const text = en ? `${name} starts on ${when}, too soon for a reminder the day before.` : `${name} bắt đầu ngày ${when}, đã quá gần để nhắc trước một ngày.`;
    return answer([text], [event], titles, turn.language, "reminder");
  }
  const message = en
    ? `Reminder: ${name} starts tomorrow, ${when}.${entry.venue_new ? ` Venue: ${entry.venue_new}.` : ""}`
    : `Nhắc bạn: ${name} bắt đầu vào ngày mai, ${when}.${entry.venue_new ? ` Địa điểm: ${entry.venue_new}.` : ""}`;
  const scheduled = await reminders.schedule({ channel: turn.event.channel, chatId: turn.event.chatId }, at, message);
  const text = scheduled
    ? en
      ? `Done: I will remind you on ${at.getUTCDate()}/${at.getUTCMonth() + 1}/${at.getUTCFullYear()} at 08:00, the day before ${name} (${when}).`
      : `Được rồi: mình sẽ nhắc bạn lúc 8 giờ sáng ngày ${at.getUTCDate()}/${at.getUTCMonth() + 1}/${at.getUTCFullYear()}, trước ${name} (${when}) một ngày.`
    : en
      ? `Reminders are sent on Telegram and Zalo; here I cannot message you later. ${name} starts on ${when}.`
      : `Tính năng nhắc lịch chỉ dùng được trên Telegram và Zalo; ở đây mình không nhắn lại cho bạn sau được. ${name} bắt đầu ngày ${when}.`;
  return answer([text], [event], titles, turn.language, "reminder");
}

function describe(event: FestivalEvent, occurrences: readonly Occurrence[], language: Language, year?: string): string {
  const first = event.entries[0]!;
  // Market sessions share an event; their names carry the session ("– phiên ngày 6"), which the dates replace.
  const viName = first.name.replace(/ – phiên.*$/, "");
  const name = language === "en" ? `${first.name_en.replace(/ – session.*$/, "")} (${viName})` : viName;
  const lunarDays = event.entries.map((entry) => lunarDay(entry.lunar_day, entry.lunar_month, entry.days, language)).join("; ");
  const dates = occurrences.map((o) => dateRange(o, language)).join(", ");
  const venue = first.venue_new ? (language === "en" ? ` Venue: ${first.venue_new}${first.venue_old ? ` (formerly ${first.venue_old})` : ""}.` : ` Địa điểm: ${first.venue_new}${first.venue_old ? ` (trước đây: ${first.venue_old})` : ""}.`) : "";
  const planned = first.confidence === "U" || /dự kiến|planned/.test(first.name + first.name_en);
  const caution = planned ? (language === "en" ? " (planned; not confirmed)" : " (dự kiến, chưa được xác nhận)") : "";
  if (occurrences.length === 0) {
    return language === "en" ? `${name}: ${lunarDays}; no date falls in ${year}.` : `${name}: ${lunarDays}; không có ngày nào rơi vào năm ${year}.`;
  }
  const when = year ?? String(occurrences[0]!.start.getUTCFullYear());
  return language === "en"
    ? `${name}${caution}: ${lunarDays}, which in ${when} is ${dates}.${venue}`
    : `${name}${caution}: ${lunarDays}, năm ${when} rơi vào ${dates} (dương lịch).${venue}`;
}

function lunarDay(day: number, month: number, days: number, language: Language): string {
  const span = days > 1 ? `${day}–${day + days - 1}` : String(day);
  return language === "en" ? `day ${span} of lunar month ${month}` : `ngày ${span} tháng ${LUNAR_MONTHS_VI[month - 1]} âm lịch`;
}

function dateRange({ start, end }: Occurrence, language: Language): string {
  const format = (date: Date) => `${WEEKDAYS[language][date.getUTCDay()]} ${date.getUTCDate()}/${date.getUTCMonth() + 1}/${date.getUTCFullYear()}`;
  return start.getTime() === end.getTime() ? format(start) : `${format(start)} – ${format(end)}`;
}

function answer(
  lines: readonly string[],
  events: readonly FestivalEvent[],
  titles: ReadonlyMap<string, { vi: string; en: string }>,
  language: Language,
  intent: string,
) {
  const ids = [...new Set(events.map((event) => event.entries[0]!.doc_id))];
  const sources: SourceRef[] = ids.map((id) => ({ id, title: (language === "en" ? titles.get(id)?.en : titles.get(id)?.vi) ?? id }));
  const note = language === "en"
    ? "Solar dates are converted from the lunar calendar (Vietnamese calendar, UTC+7); check with the local People's Committee before travelling."
    : "Ngày dương lịch được quy đổi từ âm lịch theo lịch Việt Nam (UTC+7); bạn nên hỏi lại UBND xã/phường trước khi đi.";
  const citation = `${language === "en" ? "Source" : "Nguồn"}: ${sources.map((s) => s.title).join("; ")}`;
  return { replies: [{ text: `${lines.join("\n")}\n${note}\n\n${citation}` }], intent, sources };
}

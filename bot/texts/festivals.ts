/** Texts of festival dates, upcoming events and reminders. */
import type { Language } from "../types.ts";

interface FestivalTexts {
  /** The festival's name as shown: "Hội Lim" / "Lim festival (Quan họ festival) (Hội Lim)". */
  readonly name: (vi: string, en: string) => string;
  /** "ngày 12–13 tháng Giêng âm lịch (12–13/1)"; several days of one month are written together. */
  readonly lunarDays: (days: readonly string[], month: number) => string;
  readonly dates: (name: string, caution: string, lunar: string, year: string, dates: string, venue: string) => string;
  readonly noDate: (name: string, lunar: string, year: string) => string;
  readonly venue: (now: string, before: string | null) => string;
  readonly planned: string;
  readonly solarNote: string;
  /** Nothing in the period asked about: "this month", "the next 60 days", "February 2027". */
  readonly noneIn: (period: { kind: "this_month" } | { kind: "days"; days: number } | { kind: "month"; month: number; year: number }) => string;
  readonly whichFestival: string;
  readonly villageUnknown: (village: string, contact: string) => string;
  readonly noNextDate: (name: string) => string;
  readonly tooSoon: (name: string, when: string) => string;
  readonly reminderText: (name: string, when: string, venue: string | null) => string;
  readonly reminderSet: (day: string, name: string, when: string) => string;
  readonly reminderUnavailable: (name: string, when: string) => string;
}

const MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const LUNAR_MONTHS_VI = ["Giêng", "Hai", "Ba", "Tư", "Năm", "Sáu", "Bảy", "Tám", "Chín", "Mười", "Mười một", "Chạp"];

export const festivalTexts: Record<Language, FestivalTexts> = {
  vi: {
    name: (vi) => vi,
    lunarDays: (days, month) => `ngày ${days.join(", ")} tháng ${LUNAR_MONTHS_VI[month - 1]} âm lịch (${days.map((d) => `${d}/${month}`).join(", ")} âm lịch)`,
    dates: (name, caution, lunar, year, dates, venue) => `${name}${caution}: ${lunar}, năm ${year} rơi vào ${dates} (dương lịch).${venue}`,
    noDate: (name, lunar, year) => `${name}: ${lunar}; không có ngày nào rơi vào năm ${year}.`,
    venue: (now, before) => ` Địa điểm: ${now}${before ? ` (trước đây: ${before})` : ""}.`,
    planned: " (dự kiến, chưa được xác nhận)",
    solarNote: "Ngày dương lịch được quy đổi từ âm lịch theo lịch Việt Nam (UTC+7); bạn nên hỏi lại UBND xã/phường trước khi đi.",
    noneIn: (period) =>
      `Trong lịch của mình không có lễ hội hay phiên chợ nào ${period.kind === "this_month" ? "trong tháng này" : period.kind === "days" ? `trong ${period.days} ngày tới` : `trong tháng ${period.month}/${period.year}`}. Sự kiện gần nhất sau đó:`,
    whichFestival: "Bạn muốn hỏi lễ hội hay phiên chợ nào? Ví dụ: Hội Lim, hội làng Đồng Kỵ, hội làng Diềm, chợ tranh Đông Hồ.",
    villageUnknown: (village, contact) => `Mình chưa có thông tin về ngày lễ hội của ${village} nên không muốn đoán. Bạn nên hỏi ${contact}.`,
    noNextDate: (name) => `Mình chưa tìm được ngày tới của ${name}.`,
    tooSoon: (name, when) => `${name} bắt đầu ngày ${when}, đã quá gần để nhắc trước một ngày.`,
    reminderText: (name, when, venue) => `Nhắc bạn: ${name} bắt đầu vào ngày mai, ${when}.${venue ? ` Địa điểm: ${venue}.` : ""}`,
    reminderSet: (day, name, when) => `Được rồi: mình sẽ nhắc bạn lúc 8 giờ sáng ngày ${day}, trước ${name} (${when}) một ngày.`,
    reminderUnavailable: (name, when) =>
      `Tính năng nhắc lịch chỉ dùng được trên Telegram và Zalo; ở đây mình không nhắn lại cho bạn sau được. ${name} bắt đầu ngày ${when}.`,
  },
  en: {
    name: (vi, en) => `${en} (${vi})`,
    lunarDays: (days, month) => `day ${days.join(", ")} of lunar month ${month} (${days.map((d) => `${d}/${month}`).join(", ")} lunar)`,
    dates: (name, caution, lunar, year, dates, venue) => `${name}${caution}: ${lunar}, which in ${year} is ${dates}.${venue}`,
    noDate: (name, lunar, year) => `${name}: ${lunar}; no date falls in ${year}.`,
    venue: (now, before) => ` Venue: ${now}${before ? ` (formerly ${before})` : ""}.`,
    planned: " (planned; not confirmed)",
    solarNote: "Solar dates are converted from the lunar calendar (Vietnamese calendar, UTC+7); check with the local People's Committee before travelling.",
    noneIn: (period) =>
      `No festival or craft market in our calendar falls ${period.kind === "this_month" ? "this month" : period.kind === "days" ? `in the next ${period.days} days` : `in ${MONTHS_EN[period.month - 1]} ${period.year}`}. The next one after that:`,
    whichFestival: "Which festival or market do you mean? For example: the Lim festival, Đồng Kỵ village festival, Diềm village festival, the Đông Hồ print market.",
    villageUnknown: (village, contact) => `I don't have the festival date of ${village}, so I won't guess. Please ask ${contact}.`,
    noNextDate: (name) => `I could not find the next date of ${name}.`,
    tooSoon: (name, when) => `${name} starts on ${when}, too soon for a reminder the day before.`,
    reminderText: (name, when, venue) => `Reminder: ${name} starts tomorrow, ${when}.${venue ? ` Venue: ${venue}.` : ""}`,
    reminderSet: (day, name, when) => `Done: I will remind you on ${day} at 08:00, the day before ${name} (${when}).`,
    reminderUnavailable: (name, when) => `Reminders are sent on Telegram and Zalo; here I cannot message you later. ${name} starts on ${when}.`,
  },
};

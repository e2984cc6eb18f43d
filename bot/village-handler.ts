import { allItemsNamedIn } from "../knowledge/aliases.ts";
import type { Village } from "../knowledge/villages.ts";
import type { Handler } from "./engine.ts";
import type { Language, SourceRef } from "./types.ts";

// "đi … thế nào", "đường đi", "bao xa", "how do I get to", "what to do in"…
const DIRECTIONS = /\b(duong di|di (tu .* )?den|di .* the nao|di .* nhu the nao|cach di|bao xa|may km|bao nhieu km|o dau|nam o dau|cach ha noi|tham quan|co gi|choi gi|trai nghiem|how (do i|can i|to) get|how far|directions?|route|getting to|where is|what to (see|do)|visit)\b/;
const ITINERARY = /\b(lich trinh|hanh trinh|tour|mot ngay|1 ngay|trong ngay|itinerary|day trip|one day|1 day|plan (a|my) (day|trip))\b/;
/** The pilot OCOP tourism villages, suggested when a day trip names no village. */
const PILOT_VILLAGES = ["phu-lang", "dong-ho", "diem-viem-xa"];
const SLOTS = { vi: ["Sáng", "Trưa – đầu chiều", "Chiều"], en: ["Morning", "Midday", "Afternoon"] } as const;

/**
 * Village directions (location under its new and old names, distance and route from Hà Nội and from
 * central Bắc Ninh, transport, what to see and do, and the unknowns with whom to ask) and one-day
 * itineraries for two or three villages.
 */
export function villageHandler(villages: readonly Village[], titles: ReadonlyMap<string, { vi: string; en: string }>): Handler {
  return (turn) => {
    const named = allItemsNamedIn(turn.text, villages, (village) => [village.name, village.name_en, ...village.aliases]);
    const language = turn.language;
    if (ITINERARY.test(turn.folded)) {
      const chosen = (named.length > 0 ? named : villages.filter((v) => PILOT_VILLAGES.includes(v.id))).slice(0, 3);
      return reply(itinerary(chosen, language, named.length === 0), chosen, titles, language, "itinerary");
    }
    if (named.length === 0 || !DIRECTIONS.test(turn.folded)) return undefined;
    return reply(named.map((village) => directions(village, language)).join("\n\n"), named, titles, language, "village_directions");
  };
}

function directions(village: Village, language: Language): string {
  const en = language === "en";
  const unknown = en ? "not known" : "chưa có thông tin";
  const line = (label: string, value: string | null) => `• ${label}: ${value ?? unknown}`;
  const place = village.place_new
    ? `${village.place_new}${village.place_old ? (en ? ` (formerly ${village.place_old})` : ` (trước đây: ${village.place_old})`) : ""}`
    : village.place_old;
  return [
    `${en ? `${village.name_en} (${village.name})` : village.name} — ${en ? village.craft_en : village.craft}`,
    line(en ? "Where" : "Vị trí", place),
    line(en ? "From Hà Nội" : "Từ Hà Nội", en ? village.from_hanoi_en : village.from_hanoi),
    line(en ? "From central Bắc Ninh" : "Từ trung tâm Bắc Ninh", en ? village.from_bac_ninh_centre_en : village.from_bac_ninh_centre),
    line(en ? "Getting there" : "Phương tiện", en ? village.transport_en : village.transport),
    line(en ? "See and do" : "Tham quan", (en ? village.see_do_en : village.see_do).join("; ") || null),
    line(en ? "Hands-on" : "Trải nghiệm", (en ? village.experiences_en : village.experiences).join("; ") || null),
    unknownsLine(village, language),
  ].join("\n");
}

function unknownsLine(village: Village, language: Language): string {
  // The unknowns are listed in Vietnamese in the data; an English reader gets them with the office's name.
  return language === "en"
    ? `• Not known yet (${village.unknowns.join(", ")}): ask ${village.contact}.`
    : `• Chưa có thông tin về ${village.unknowns.join(", ")}: bạn nên hỏi ${village.contact}.`;
}

function itinerary(chosen: readonly Village[], language: Language, suggested: boolean): string {
  const en = language === "en";
  const names = chosen.map((v) => (en ? v.name_en : v.name)).join(", ");
  const head = en
    ? `A one-day plan${suggested ? ", with the three pilot OCOP tourism villages" : ""}: ${names}.`
    : `Gợi ý lịch trình một ngày${suggested ? " với ba làng thí điểm du lịch OCOP" : ""}: ${names}.`;
  const stops = chosen.map((village, index) => {
    const slot = SLOTS[language][chosen.length === 2 && index === 1 ? 2 : index];
    const from = en ? village.from_hanoi_en : village.from_hanoi;
    const todo = [...(en ? village.experiences_en : village.experiences), ...(en ? village.see_do_en : village.see_do)].slice(0, 3).join("; ");
    return `${slot}: ${en ? village.name_en : village.name}${from ? ` (${en ? "from Hà Nội" : "từ Hà Nội"}: ${from})` : ""}. ${todo}.`;
  });
  const caveat = en
    ? `Travel times between the villages, opening hours and fees are not in our sources; ask ${[...new Set(chosen.map((v) => v.contact))].join("; ")}.`
    : `Mình chưa có thông tin về thời gian di chuyển giữa các làng, giờ mở cửa và giá vé; bạn nên hỏi ${[...new Set(chosen.map((v) => v.contact))].join("; ")}.`;
  return [head, ...stops, caveat].join("\n");
}

function reply(
  text: string,
  villages: readonly Village[],
  titles: ReadonlyMap<string, { vi: string; en: string }>,
  language: Language,
  intent: string,
) {
  const sources: SourceRef[] = [...new Set(villages.map((v) => v.doc_id))].map((id) => ({ id, title: titles.get(id)?.[language] ?? id }));
  const citation = `${language === "en" ? "Source" : "Nguồn"}: ${sources.map((s) => s.title).join("; ")}`;
  return { replies: [{ text: `${text}\n\n${citation}` }], intent, sources };
}

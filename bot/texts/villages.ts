/** Texts of village directions and day plans. */
import type { VillageText } from "../../knowledge/villages.ts";
import type { Language } from "../types.ts";

interface VillageTexts {
  readonly unknown: string;
  readonly labels: { readonly where: string; readonly fromHanoi: string; readonly fromCentre: string; readonly transport: string; readonly seeDo: string; readonly handsOn: string };
  readonly place: (village: VillageText) => string | null;
  readonly notKnown: (village: VillageText) => string;
  readonly planHead: (names: string, suggested: boolean) => string;
  readonly slots: readonly string[];
  readonly fromHanoi: string;
  readonly planCaveat: (contacts: string) => string;
  readonly whichVillage: string;
}

export const villageTexts: Record<Language, VillageTexts> = {
  vi: {
    unknown: "chưa có thông tin",
    labels: { where: "Vị trí", fromHanoi: "Từ Hà Nội", fromCentre: "Từ trung tâm Bắc Ninh", transport: "Phương tiện", seeDo: "Tham quan", handsOn: "Trải nghiệm" },
    place: (v) => (v.placeNew ? `${v.placeNew}${v.placeOld ? ` (trước đây: ${v.placeOld})` : ""}` : v.placeOld),
    notKnown: (v) => `• Chưa có thông tin về ${v.unknowns.join(", ")}: bạn nên hỏi ${v.contact}.`,
    planHead: (names, suggested) => `Gợi ý lịch trình một ngày${suggested ? " với ba làng thí điểm du lịch OCOP" : ""}: ${names}.`,
    slots: ["Sáng", "Trưa – đầu chiều", "Chiều"],
    fromHanoi: "từ Hà Nội",
    planCaveat: (contacts) => `Mình chưa có thông tin về thời gian di chuyển giữa các làng, giờ mở cửa và giá vé; bạn nên hỏi ${contacts}.`,
    whichVillage: "Bạn muốn đến làng nghề nào?",
  },
  en: {
    unknown: "not known",
    labels: { where: "Where", fromHanoi: "From Hà Nội", fromCentre: "From central Bắc Ninh", transport: "Getting there", seeDo: "See and do", handsOn: "Hands-on" },
    place: (v) => (v.placeNew ? `${v.placeNew}${v.placeOld ? ` (formerly ${v.placeOld})` : ""}` : v.placeOld),
    notKnown: (v) => `• Not known yet: ${v.unknowns.join(", ")}; please ask ${v.contact}.`,
    planHead: (names, suggested) => `A one-day plan${suggested ? ", with the three pilot OCOP tourism villages" : ""}: ${names}.`,
    slots: ["Morning", "Midday", "Afternoon"],
    fromHanoi: "from Hà Nội",
    planCaveat: (contacts) => `Travel times between the villages, opening hours and fees are not in our sources; please ask ${contacts}.`,
    whichVillage: "Which craft village would you like to visit?",
  },
};

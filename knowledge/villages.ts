import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";

const VILLAGES_FILE = fileURLToPath(new URL("./data/villages.json", import.meta.url));

const villageSchema = z.object({
  id: z.string(),
  name: z.string(),
  name_en: z.string(),
  aliases: z.array(z.string()),
  craft: z.string(),
  craft_en: z.string(),
  place_new: z.string().nullable(),
  place_old: z.string().nullable(),
  place_new_en: z.string().nullable(),
  place_old_en: z.string().nullable(),
  from_hanoi: z.string().nullable(),
  from_hanoi_en: z.string().nullable(),
  from_bac_ninh_centre: z.string().nullable(),
  from_bac_ninh_centre_en: z.string().nullable(),
  transport: z.string().nullable(),
  transport_en: z.string().nullable(),
  see_do: z.array(z.string()),
  see_do_en: z.array(z.string()),
  experiences: z.array(z.string()),
  experiences_en: z.array(z.string()),
  unknowns: z.array(z.string()),
  unknowns_en: z.array(z.string()),
  contact: z.string(),
  contact_en: z.string(),
  doc_id: z.string(),
});

/** A craft or tourism village, as knowledge/data/villages.json describes it. */
export type Village = z.infer<typeof villageSchema>;

/** Loads and validates the village data. */
export function loadVillages(path = VILLAGES_FILE): Village[] {
  return z.array(villageSchema).parse(JSON.parse(readFileSync(path, "utf8")));
}

/** A village's texts in one language. */
export interface VillageText {
  readonly name: string;
  readonly craft: string;
  readonly placeNew: string | null;
  readonly placeOld: string | null;
  readonly fromHanoi: string | null;
  readonly fromCentre: string | null;
  readonly transport: string | null;
  readonly seeDo: readonly string[];
  readonly experiences: readonly string[];
  readonly unknowns: readonly string[];
  readonly contact: string;
}

/** The fields of a village in `language` (the data keeps both side by side). */
export function villageText(village: Village, language: "vi" | "en"): VillageText {
  const en = language === "en";
  return {
    name: en ? village.name_en : village.name,
    craft: en ? village.craft_en : village.craft,
    placeNew: en ? village.place_new_en : village.place_new,
    placeOld: en ? village.place_old_en : village.place_old,
    fromHanoi: en ? village.from_hanoi_en : village.from_hanoi,
    fromCentre: en ? village.from_bac_ninh_centre_en : village.from_bac_ninh_centre,
    transport: en ? village.transport_en : village.transport,
    seeDo: en ? village.see_do_en : village.see_do,
    experiences: en ? village.experiences_en : village.experiences,
    unknowns: en ? village.unknowns_en : village.unknowns,
    contact: en ? village.contact_en : village.contact,
  };
}

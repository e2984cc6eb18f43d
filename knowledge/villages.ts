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
  contact: z.string(),
  doc_id: z.string(),
});

/** A craft or tourism village, as knowledge/data/villages.json describes it. */
export type Village = z.infer<typeof villageSchema>;

/** Loads and validates the village data. */
export function loadVillages(path = VILLAGES_FILE): Village[] {
  return z.array(villageSchema).parse(JSON.parse(readFileSync(path, "utf8")));
}

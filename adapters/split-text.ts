// Where a message may be cut, best first.
const BOUNDARIES = [/\n\s*\n/g, /\n/g, /(?<=[.!?…])\s/g, /\s/g];

/**
 * Splits a reply into messages of at most `limit` characters (UTF-16 code units) for channels that cap
 * message length (Telegram 4096, Zalo 2000), ending each at the best boundary found: paragraph, line,
 * sentence, then word. Whitespace around a cut is dropped, and text that
 * is only whitespace gives no chunk at all.
 */
export function splitMessage(text: string, limit: number): string[] {
  const chunks: string[] = [];
  let rest = text.trim();
  while (rest.length > limit) {
    // The whitespace right after a full chunk counts as a boundary too, hence limit + 1.
    const window = rest.slice(0, limit + 1);
    let cut = -1;
    for (const boundary of BOUNDARIES) {
      for (const match of window.matchAll(boundary)) cut = match.index;
      // A boundary in the first half would leave a stub chunk; a lesser boundary further on reads better.
      if (cut >= limit / 2) break;
      cut = -1;
    }
    // No usable boundary: cut hard, but never between the two halves of a surrogate pair.
    if (cut < 0) cut = /[\uD800-\uDBFF]/.test(rest[limit - 1]!) ? limit - 1 : limit;
    chunks.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) chunks.push(rest);
  return chunks;
}

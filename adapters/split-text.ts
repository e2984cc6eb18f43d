/**
 * Splits a reply into messages of at most `limit` characters for channels that cap message length
 * (Telegram 4096, Zalo 2000), cutting at the last paragraph, line, sentence or word break that fits.
 */
export function splitMessage(text: string, limit: number): string[] {
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > limit) {
    const window = rest.slice(0, limit + 1);
    const cut = [/\n\s*\n(?![\s\S]*\n\s*\n)/, /\n(?![\s\S]*\n)/, /[.!?…](?=\s)(?![\s\S]*[.!?…]\s)/, /\s(?![\s\S]*\s)/]
      .map((pattern) => pattern.exec(window))
      .find((match) => match && match.index > limit / 2);
    const end = cut ? cut.index + (/[.!?…]/.test(cut[0]) ? 1 : 0) : limit;
    parts.push(rest.slice(0, end).trim());
    rest = rest.slice(end).trim();
  }
  if (rest.length > 0) parts.push(rest);
  return parts;
}

const maxTitle = 60;

/** A new chat is named after the first line of its first message. */
export function titleFromMessage(content: string): string {
  const line = content.trim().split('\n')[0]!.replace(/\s+/g, ' ').trim();
  const chars = [...line];
  return chars.length > maxTitle
    ? `${chars
        .slice(0, maxTitle - 1)
        .join('')
        .trimEnd()}…`
    : line;
}

/** The list shows an answer's opening words, not its Markdown punctuation. */
export function plainPreview(preview: string): string {
  return preview
    .replace(/```\w*|[*_`#>~]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

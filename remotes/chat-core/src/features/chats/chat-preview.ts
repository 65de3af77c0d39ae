/** The list shows an answer's opening words, not its Markdown punctuation. */
export function plainPreview(preview: string): string {
  return preview
    .replace(/```\w*|[*_`#>~]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Text placed inside Markdown that the server writes (a source's title, a draft's summary, a
 * tool's result), escaped so it reads as the characters it is: a model-supplied argument like
 * `[verify your card](https://evil.example)` or `**approved**` must not become a link or
 * emphasis in words the answer presents as Atrium's own. CommonMark §2.4: any ASCII punctuation
 * may be backslash-escaped; these are the ones that open links, images, emphasis, code or HTML.
 * `_` is left alone: inside a word (`create_ticket`) it never opens emphasis, and the chat list's
 * preview shows the raw text.
 */
export function escapeMarkdown(value: string): string {
  return value.replace(/([\\`*[\]<>])/g, '\\$1');
}

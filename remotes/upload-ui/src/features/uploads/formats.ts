/** What the picker offers. A hint only: the BFF detects the type from the bytes (magic numbers). */
export const acceptedExtensions = ['.txt', '.md', '.html', '.pdf', '.docx'] as const;

/** The `accept` attribute: the extensions and their usual aliases and media types. */
export const acceptAttribute = [
  ...acceptedExtensions,
  '.markdown',
  '.htm',
  'text/plain',
  'text/markdown',
  'text/html',
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
].join(',');

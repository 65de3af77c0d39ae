import { AppError } from '../errors.js';
import { type DocumentStore, FileTooLargeError, type StoredFile } from './store.js';

/** The body stopped before its end: the client aborted, or its connection broke. */
class BodyInterrupted extends Error {
  override name = 'BodyInterrupted';
}

const tooLarge = (limitBytes: number) =>
  new AppError('request.too_large', 413, `The file is larger than the limit of ${limitBytes} bytes.`, undefined, {
    // The rest of the body is never read: tell a keep-alive client not to send its next request behind it.
    Connection: 'close',
  });

/**
 * The request body as chunks, ending in `BodyInterrupted` when the stream errors or `signal`
 * aborts (a pending read is cancelled then, so a stalled client cannot hold the upload open).
 * On an early stop (the store refused the size) the stream is released, not cancelled:
 * cancelling would destroy the socket before the 413 is sent.
 */
async function* bodyChunks(body: ReadableStream<Uint8Array>, signal: AbortSignal): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  const onAbort = () => {
    reader.cancel(signal.reason).catch(() => undefined);
  };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      let next: Awaited<ReturnType<typeof reader.read>>;
      try {
        next = await reader.read();
      } catch (error) {
        throw new BodyInterrupted((error as Error)?.message ?? 'the body stream failed', { cause: error });
      }
      if (signal.aborted) throw new BodyInterrupted('the client went away');
      if (next.done) return;
      yield next.value;
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    reader.releaseLock();
  }
}

/**
 * Streams an upload's raw body (`Content-Type: application/octet-stream`) into the document
 * store, at most `maxBytes` (config `documents.uploadMaxBytes`, bytes). Returns the stored
 * file `{ sha256, sizeBytes, path }`; an empty body is a 0-byte file (ingestion fails it as
 * `document.no_text`).
 *
 * Errors: 415 `request.unsupported_media_type` for another content type; 413
 * `request.too_large` when `Content-Length` is over the limit (before reading a byte) or the
 * body goes past it; 400 `request.invalid` when the body stops early (aborted upload). Nothing
 * is left on disk after any of them: the store removes its temporary file.
 */
export async function receiveUpload(
  request: Request,
  store: DocumentStore,
  options: { maxBytes: number },
): Promise<StoredFile> {
  const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/octet-stream') {
    throw new AppError('request.unsupported_media_type', 415, 'Send the file as application/octet-stream.');
  }
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > options.maxBytes) throw tooLarge(options.maxBytes);
  if (!request.body) return store.write(new Uint8Array(0));
  try {
    return await store.write(bodyChunks(request.body, request.signal), {
      maxBytes: options.maxBytes,
      signal: request.signal,
    });
  } catch (error) {
    if (error instanceof FileTooLargeError) throw tooLarge(options.maxBytes);
    if (error instanceof BodyInterrupted || request.signal.aborted) {
      throw new AppError('request.invalid', 400, 'The upload stopped before the whole file arrived.');
    }
    throw error;
  }
}

/** Longest title we derive from a filename (contracts `uploadDocumentQuerySchema.title`). */
const titleMaxChars = 200;

/*
 * Characters that must not reach a display: C0/C1 controls and DEL (Cc), line and paragraph
 * separators, and the bidirectional controls that can make `evil\u202Etxt.exe` read as
 * `evilexe.txt` (Unicode TR9; CVE-2021-42574 "Trojan Source" is the same trick in code).
 */
const hidden = /[\p{Cc}\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;
const unpairedSurrogate = /\p{Cs}/gu;

/** Text safe to show: hidden characters removed, broken surrogates replaced, spaces collapsed and trimmed. */
export function displayText(text: string): string {
  return text.replace(hidden, '').replace(unpairedSurrogate, '\uFFFD').replace(/\s+/g, ' ').trim();
}

/**
 * The name an upload is shown under, from the client's `filename` (contracts allow 1–255
 * characters): display-safe (`displayText`), and only its last path segment — `../../etc/x.md`
 * is shown as `x.md`. Never used as a path: files are stored by content hash (store.ts).
 * Null when nothing nameable is left (`../`, only control characters).
 */
export function displayFilename(filename: string): string | null {
  const segments = displayText(filename)
    .split(/[/\\]/)
    .map((segment) => segment.trim())
    .filter((segment) => segment !== '' && segment !== '.' && segment !== '..');
  return segments.at(-1) ?? null;
}

/** The title when the uploader gives none: the filename without its extension, at most 200 characters. */
export function titleFromFilename(filename: string): string {
  const dot = filename.lastIndexOf('.');
  const stem = dot > 0 ? filename.slice(0, dot).trim() : filename;
  return [...(stem || filename)].slice(0, titleMaxChars).join('');
}

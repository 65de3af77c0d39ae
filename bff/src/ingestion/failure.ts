import type { DocumentFailure } from '@atrium/contracts';

/**
 * Why a document cannot be ingested, as a contracts `DocumentFailure`: thrown by type
 * detection and extraction, caught by the pipeline, which ends the document `failed` with it
 * (never an HTTP 500, never a retry: the same bytes would fail the same way).
 */
export class IngestionFailure extends Error {
  override name = 'IngestionFailure';
  constructor(
    readonly code: DocumentFailure['code'],
    message: string,
  ) {
    super(message);
  }

  get failure(): DocumentFailure {
    return { code: this.code, message: this.message };
  }
}

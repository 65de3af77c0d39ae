import { ApiRequestError } from '../api-client.js';

interface Issue {
  path: string | readonly PropertyKey[];
}

/** The top-level fields a validation failure points at, whether zod found it here or the BFF did. */
export function invalidFields(issues: readonly Issue[]): Set<string> {
  return new Set(issues.map(({ path }) => String(typeof path === 'string' ? path.split('.')[0] : (path[0] ?? ''))));
}

/** The fields the BFF rejected, or null when the failure is not about the form's input. */
export function rejectedFields(error: unknown): Set<string> | null {
  if (!(error instanceof ApiRequestError) || error.code !== 'request.invalid' || !error.issues?.length) return null;
  return invalidFields(error.issues);
}

/**
 * Sends a finished run's result to an Atrium BFF for the ops dashboards (issue 11): set
 * ATRIUM_EVAL_REPORT_URL (the BFF's origin, or the full `/api/evals/runs` URL) and
 * ATRIUM_EVAL_REPORT_TOKEN (a personal access token with scope `evals` of an admin or ops user).
 * Unset: nothing is sent. A failed report is said, never fails the run: the report file is the record.
 */
export interface RunResult {
  name: string;
  passed: number;
  total: number;
  detail: Record<string, unknown>;
}

export function reportTarget(env: Record<string, string | undefined>): { url: string; token: string } | null {
  const base = env.ATRIUM_EVAL_REPORT_URL?.trim();
  const token = env.ATRIUM_EVAL_REPORT_TOKEN?.trim();
  if (!base || !token) return null;
  const url = new URL(base);
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/api/evals/runs';
  return { url: url.toString(), token };
}

export async function reportRun(
  env: Record<string, string | undefined>,
  result: RunResult,
  say: (line: string) => void,
  fetchImpl: typeof fetch = fetch,
): Promise<boolean> {
  const target = reportTarget(env);
  if (!target || result.total === 0) return false;
  try {
    const response = await fetchImpl(target.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${target.token}` },
      body: JSON.stringify(result),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) {
      say(
        `Could not report the run to ${target.url}: HTTP ${response.status} ${(await response.text()).slice(0, 200)}`,
      );
      return false;
    }
    say(`Reported the run to ${target.url}.`);
    return true;
  } catch (error) {
    say(`Could not report the run to ${target.url}: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}

import { type ToolRisk, toolRisks } from '@atrium/contracts';

/** `{ tool: risk }` as the form's text: one `tool = risk` per line, sorted by tool. */
export function formatRiskOverrides(overrides: Record<string, ToolRisk>): string {
  return Object.entries(overrides)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([tool, risk]) => `${tool} = ${risk}`)
    .join('\n');
}

/**
 * Reads the form's text back: one `tool = risk` (or `tool: risk`) per line, blank lines skipped;
 * null when a line does not read (no separator, empty tool name, or a risk that does not exist).
 */
export function parseRiskOverrides(text: string): Record<string, ToolRisk> | null {
  const overrides: Record<string, ToolRisk> = {};
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const match = /^\s*([^=:\s][^=:]*?)\s*[=:]\s*(\S+)\s*$/.exec(line);
    const risk = match?.[2]?.toLowerCase() as ToolRisk | undefined;
    if (!match || !risk || !toolRisks.includes(risk) || match[1]!.length > 128) return null;
    overrides[match[1]!] = risk;
  }
  return overrides;
}

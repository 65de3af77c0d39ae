/**
 * Prompt-injection signals: phrases that try to give the model new instructions. Retrieved text
 * is always passed to the model as quoted data whatever this says; a signal only flags the
 * passage to the model and the logs. Patterns follow the common forms listed by OWASP's
 * LLM01 (Prompt Injection) guidance, in English and Chinese.
 */
const patterns: readonly { name: string; pattern: RegExp }[] = [
  {
    name: 'ignore_instructions',
    pattern:
      /\b(ignore|disregard|forget|override)\b[^.\n]{0,40}\b(previous|prior|above|earlier|all|any|your)\b[^.\n]{0,20}\b(instructions?|rules|prompts?|guidelines)\b/i,
  },
  {
    name: 'role_override',
    pattern: /\byou are (now|no longer)\b|\bact as (an? )?(admin|administrator|system|developer)\b/i,
  },
  { name: 'system_prompt', pattern: /\b(system prompt|developer message|reveal (your|the) (prompt|instructions))\b/i },
  { name: 'tool_command', pattern: /\b(call|invoke|run|execute) the [\w-]+ tool\b|\bissue (a|the) refund\b/i },
  {
    name: 'ignore_instructions_zh',
    pattern: /(忽略|无视|忘记)(之前|以上|上面|所有|先前)?的?(所有)?(指令|指示|规则|提示)/,
  },
  { name: 'role_override_zh', pattern: /你现在是|扮演(管理员|系统)/ },
];

/** Names of the signals found in `text` (empty when none). */
export function injectionSignals(text: string): string[] {
  return patterns.filter((p) => p.pattern.test(text)).map((p) => p.name);
}

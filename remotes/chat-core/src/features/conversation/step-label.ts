import type { AnswerStep } from '@atrium/contracts';

/** The `chat` i18n key under `stepStatus` / `refusal` a step's badge shows. */
export type StepLabelKey =
  | `stepStatus.${Exclude<AnswerStep['status'], 'refused'>}`
  | 'refusal.invalidArguments'
  | 'refusal.notAllowed'
  | 'refusal.unknownTool'
  | 'refusal.refused';

/**
 * A step's badge label key. A refused step is labelled by its code (contracts `answerStepSchema`
 * `code`, the gate's order in bff/src/tools/gate.ts): `tool.invalid_arguments` → "Invalid
 * arguments", `tool.forbidden` / `tool.needs_person` → "Not allowed", `tool.unknown` → "Unknown
 * tool"; any other or no code (a step stored before codes were kept) → a plain "Refused".
 */
export function stepLabelKey(step: Pick<AnswerStep, 'status' | 'code'>): StepLabelKey {
  if (step.status !== 'refused') return `stepStatus.${step.status}`;
  switch (step.code) {
    case 'tool.invalid_arguments':
      return 'refusal.invalidArguments';
    case 'tool.forbidden':
    case 'tool.needs_person':
      return 'refusal.notAllowed';
    case 'tool.unknown':
      return 'refusal.unknownTool';
    default:
      return 'refusal.refused';
  }
}

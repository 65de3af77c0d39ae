import type { DocumentStatus, DocumentView } from '@atrium/contracts';
import { useTranslation } from 'react-i18next';

/** The way to `ready`, in order (contracts: `documentStatuses`). */
const steps = ['queued', 'parsing', 'chunking', 'embedding', 'ready'] as const satisfies readonly DocumentStatus[];

type StepState = 'done' | 'current' | 'todo';

function stepStates(status: DocumentStatus): StepState[] | null {
  const at = steps.indexOf(status as (typeof steps)[number]);
  if (at < 0) return null;
  return steps.map((_, i) => (i < at || status === 'ready' ? 'done' : i === at ? 'current' : 'todo'));
}

/**
 * Where ingestion is: a step indicator (`aria-current="step"` on the current one) and the
 * current step's `progress` (done/total) when the BFF measures it. Failed and cancelled
 * documents show no steps: their status line says what happened.
 */
export function StatusSteps({ document }: { document: DocumentView }) {
  const { t } = useTranslation('uploads');
  const states = stepStates(document.status);
  if (!states) return null;
  const { progress } = document;
  return (
    <div className="uploads-steps-wrap">
      <ol className="uploads-steps" aria-label={t('document.steps')}>
        {steps.map((step, i) => {
          const state = states[i] ?? 'todo';
          const label = t(`statusName.${step}`);
          const spoken = {
            done: 'document.stepDone',
            current: 'document.stepCurrent',
            todo: 'document.stepTodo',
          }[state];
          return (
            <li key={step} data-state={state} aria-current={state === 'current' ? 'step' : undefined}>
              <span aria-hidden="true">{label}</span>
              <span className="visually-hidden">{t(spoken, { step: label })}</span>
            </li>
          );
        })}
      </ol>
      {progress && progress.total > 0 && document.status !== 'ready' ? (
        <progress
          className="uploads-step-progress"
          max={progress.total}
          value={Math.min(progress.done, progress.total)}
          aria-label={t(`status.${document.status}`)}
        />
      ) : null}
    </div>
  );
}

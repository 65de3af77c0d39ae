import type { AnswerStep, ApiClient, ServerEventStream } from '@atrium/contracts';
import { argumentsForDisplay, escapeBidiControls } from '@atrium/shared';
import { useTranslation } from 'react-i18next';
import { stepLabelKey } from '../step-label.js';
import { ToolDraftCard } from './tool-draft-card.js';

interface AnswerStepsProps {
  api: ApiClient;
  events: ServerEventStream;
  steps: AnswerStep[];
}

/** An answer's tool calls in order: tool, status, short result, arguments one click away (bidi controls in a name, summary or argument shown escaped as `\u202E`); a drafted step shows its draft card. */
export function AnswerSteps({ api, events, steps }: AnswerStepsProps) {
  const { t } = useTranslation('chat');
  if (steps.length === 0) return null;
  return (
    <ol className="chat-steps" aria-label={t('steps.label')} data-testid="answer-steps">
      {steps.map((step) => {
        // A drafted step is shown by its draft card: the card's status is live (the step stays
        // `drafted` after the draft settles) and it holds the same summary and arguments.
        const card = step.status === 'drafted' && step.draftId ? step.draftId : null;
        return (
          <li
            key={step.id}
            className={`chat-step chat-step-${step.status}`}
            data-testid="answer-step"
            data-status={step.status}
          >
            <div className="chat-step-head">
              <code>{escapeBidiControls(step.tool)}</code>
              {card ? null : (
                <span className="chat-badge" data-testid="answer-step-label">
                  {t(stepLabelKey(step))}
                </span>
              )}
            </div>
            {card ? (
              <ToolDraftCard api={api} events={events} draftId={card} />
            ) : (
              <>
                {step.summary ? <p className="chat-step-summary">{escapeBidiControls(step.summary)}</p> : null}
                <details>
                  <summary>{t('steps.arguments')}</summary>
                  <pre className="chat-tool-args">{argumentsForDisplay(step.arguments)}</pre>
                </details>
              </>
            )}
          </li>
        );
      })}
    </ol>
  );
}

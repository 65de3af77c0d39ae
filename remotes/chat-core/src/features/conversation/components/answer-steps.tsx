import type { AnswerStep, ApiClient, ServerEventStream } from '@atrium/contracts';
import { useTranslation } from 'react-i18next';
import { ToolDraftCard } from './tool-draft-card.js';

interface AnswerStepsProps {
  api: ApiClient;
  events: ServerEventStream;
  steps: AnswerStep[];
}

/** An answer's tool calls in order: tool, status, short result, arguments one click away; a drafted step shows its draft card. */
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
              <code>{step.tool}</code>
              {card ? null : <span className="chat-badge">{t(`stepStatus.${step.status}`)}</span>}
            </div>
            {card ? (
              <ToolDraftCard api={api} events={events} draftId={card} />
            ) : (
              <>
                {step.summary ? <p className="chat-step-summary">{step.summary}</p> : null}
                <details>
                  <summary>{t('steps.arguments')}</summary>
                  <pre className="chat-tool-args">{JSON.stringify(step.arguments, null, 2)}</pre>
                </details>
              </>
            )}
          </li>
        );
      })}
    </ol>
  );
}

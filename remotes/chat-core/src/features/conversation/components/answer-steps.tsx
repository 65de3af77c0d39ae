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
      {steps.map((step) => (
        <li
          key={step.id}
          className={`chat-step chat-step-${step.status}`}
          data-testid="answer-step"
          data-status={step.status}
        >
          <div className="chat-step-head">
            <code>{step.tool}</code>
            <span className="chat-badge">{t(`stepStatus.${step.status}`)}</span>
          </div>
          {step.summary ? <p className="chat-step-summary">{step.summary}</p> : null}
          <details>
            <summary>{t('steps.arguments')}</summary>
            <pre className="chat-tool-args">{JSON.stringify(step.arguments, null, 2)}</pre>
          </details>
          {step.status === 'drafted' && step.draftId ? (
            <ToolDraftCard api={api} events={events} draftId={step.draftId} />
          ) : null}
        </li>
      ))}
    </ol>
  );
}

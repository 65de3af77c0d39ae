import type { ApiClient } from '@atrium/contracts';
import {
  type Agent,
  agentSystemPromptMaxChars,
  createAgentRequestSchema,
  type DocumentAudience,
  documentAudiences,
  type ToolView,
  updateAgentRequestSchema,
} from '@atrium/contracts';
import { ApiRequestError, Button, ErrorNotice, invalidFields, rejectedFields, TextField } from '@atrium/shared';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../../../i18n/error-message.js';
import { createAgent, updateAgent } from '../api.js';

type Field = 'id' | 'name' | 'description' | 'systemPrompt' | 'tools' | 'model';
const fields: Field[] = ['id', 'name', 'description', 'systemPrompt', 'tools', 'model'];

interface AgentFormProps {
  api: ApiClient;
  /** Null: a new agent. */
  editing: Agent | null;
  /** Every tool the agent may be given (`GET /api/admin/tools`). */
  tools: ToolView[];
  onSaved(agent: Agent): void;
  onCancel(): void;
}

/**
 * Create or change an agent: its prompt, the tools it may offer (all the asker may use, or a
 * chosen few), its model and the widest knowledge-base audience it reads. The BFF refuses unknown
 * tool names and a prompt over 8,000 characters; the gate still decides each caller's tools.
 */
export function AgentForm({ api, editing, tools, onSaved, onCancel }: AgentFormProps) {
  const { t } = useTranslation('admin');
  const errorMessage = useErrorMessage();
  const ids = { prompt: useId(), tools: useId(), audience: useId() };
  const [id, setId] = useState(editing?.id ?? '');
  const [name, setName] = useState(editing?.name ?? '');
  const [description, setDescription] = useState(editing?.description ?? '');
  const [systemPrompt, setSystemPrompt] = useState(editing?.systemPrompt ?? '');
  const [allTools, setAllTools] = useState(editing ? editing.tools === null : true);
  const [chosenTools, setChosenTools] = useState<string[]>(editing?.tools ?? []);
  const [model, setModel] = useState(editing?.model ?? '');
  const [audience, setAudience] = useState<DocumentAudience | ''>(editing?.audience ?? '');
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<Field, string>>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const messagesFor = (invalid: Set<string>) =>
    Object.fromEntries(fields.filter((f) => invalid.has(f)).map((f) => [f, t(`agentFormInvalid.${f}`)]));

  function showFailure(error: unknown) {
    const rejected = rejectedFields(error);
    if (error instanceof ApiRequestError && error.code === 'agent.id_taken')
      setFieldErrors({ id: errorMessage(error) });
    else if (rejected?.has('tools')) setFieldErrors({ tools: errorMessage(error) });
    else if (rejected) setFieldErrors(messagesFor(rejected));
    else setFailure(errorMessage(error));
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setFailure(null);
    const body = {
      name,
      description,
      systemPrompt,
      tools: allTools ? null : chosenTools,
      model: model.trim() === '' ? null : model,
      audience: audience === '' ? null : audience,
    };
    const parsed = editing
      ? updateAgentRequestSchema.safeParse(body)
      : createAgentRequestSchema.safeParse({ id, ...body });
    if (!parsed.success) {
      setFieldErrors(messagesFor(invalidFields(parsed.error.issues)));
      return;
    }
    setFieldErrors({});
    setPending(true);
    try {
      onSaved(editing ? await updateAgent(api, editing.id, body) : await createAgent(api, { id, ...body }));
    } catch (error) {
      showFailure(error);
      setPending(false);
    }
  }

  const toggleTool = (tool: string) =>
    setChosenTools((current) => (current.includes(tool) ? current.filter((x) => x !== tool) : [...current, tool]));
  const title = editing ? t('agentForm.editTitle', { name: editing.name }) : t('agentForm.createTitle');

  return (
    <form
      className="form"
      noValidate
      onSubmit={(event) => void submit(event)}
      aria-busy={pending}
      aria-label={title}
      data-testid="agent-form"
    >
      <h3>{title}</h3>
      {failure ? <ErrorNotice title={t('agentForm.failed')}>{failure}</ErrorNotice> : null}
      {editing ? null : (
        <TextField
          label={t('agentForm.id')}
          hint={t('agentForm.idHint')}
          autoFocus
          required
          value={id}
          onChange={(event) => setId(event.target.value)}
          error={fieldErrors.id}
        />
      )}
      <TextField
        label={t('agentForm.name')}
        required
        value={name}
        onChange={(event) => setName(event.target.value)}
        error={fieldErrors.name}
      />
      <TextField
        label={t('agentForm.description')}
        value={description}
        onChange={(event) => setDescription(event.target.value)}
        error={fieldErrors.description}
      />
      <div className="field">
        <label htmlFor={ids.prompt}>
          {t('agentForm.systemPrompt')}
          <textarea
            id={ids.prompt}
            rows={8}
            required
            value={systemPrompt}
            onChange={(event) => setSystemPrompt(event.target.value)}
            aria-invalid={fieldErrors.systemPrompt ? true : undefined}
            aria-describedby={fieldErrors.systemPrompt ? `${ids.prompt}-error` : `${ids.prompt}-hint`}
            style={{ width: '100%' }}
          />
        </label>
        <small id={`${ids.prompt}-hint`} className="field-hint">
          {t('agentForm.systemPromptHint', { count: systemPrompt.length, max: agentSystemPromptMaxChars })}
        </small>
        {fieldErrors.systemPrompt ? (
          <small id={`${ids.prompt}-error`} className="field-error" role="alert">
            {fieldErrors.systemPrompt}
          </small>
        ) : null}
      </div>
      <fieldset aria-describedby={fieldErrors.tools ? `${ids.tools}-error` : `${ids.tools}-hint`}>
        <legend>{t('agentForm.tools')}</legend>
        <label style={{ display: 'flex', gap: 6 }}>
          <input type="checkbox" checked={allTools} onChange={(event) => setAllTools(event.target.checked)} />
          {t('agentForm.allTools')}
        </label>
        {allTools
          ? null
          : tools.map((tool) => (
              <label key={tool.name} style={{ display: 'inline-flex', gap: 4, marginInlineEnd: 12 }}>
                <input
                  type="checkbox"
                  checked={chosenTools.includes(tool.name)}
                  onChange={() => toggleTool(tool.name)}
                />
                <code>{tool.name}</code>
              </label>
            ))}
        {allTools ? null : tools.length === 0 ? <p className="admin-muted">{t('agentForm.noTools')}</p> : null}
        <small id={`${ids.tools}-hint`} className="field-hint">
          {t('agentForm.toolsHint')}
        </small>
        {fieldErrors.tools ? (
          <small id={`${ids.tools}-error`} className="field-error" role="alert">
            {fieldErrors.tools}
          </small>
        ) : null}
      </fieldset>
      <TextField
        label={t('agentForm.model')}
        hint={t('agentForm.modelHint')}
        value={model}
        onChange={(event) => setModel(event.target.value)}
        error={fieldErrors.model}
      />
      <label htmlFor={ids.audience}>
        {t('agentForm.audience')}
        <select
          id={ids.audience}
          value={audience}
          onChange={(event) => setAudience(event.target.value as DocumentAudience | '')}
        >
          <option value="">{t('agentAudiences.asker')}</option>
          {documentAudiences.map((a) => (
            <option key={a} value={a}>
              {t(`agentAudiences.${a}`)}
            </option>
          ))}
        </select>
      </label>
      <small className="field-hint">{t('agentForm.audienceHint')}</small>
      <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}>
        <Button type="submit" disabled={pending}>
          {pending ? t('agentForm.saving') : t('agentForm.save')}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          {t('agentForm.cancel')}
        </Button>
      </div>
    </form>
  );
}

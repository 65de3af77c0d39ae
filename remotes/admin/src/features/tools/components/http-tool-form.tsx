import {
  type ApiClient,
  createHttpToolRequestSchema,
  type HttpTool,
  httpToolMethods,
  type Role,
  roles,
  type ToolRisk,
  toolRisks,
  updateHttpToolRequestSchema,
} from '@atrium/contracts';
import { ApiRequestError, Button, ErrorNotice, invalidFields, rejectedFields, TextField } from '@atrium/shared';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../../../i18n/error-message.js';
import { createHttpTool, deleteHttpTool, updateHttpTool } from '../api.js';

type Field = 'name' | 'description' | 'url' | 'inputSchema' | 'roles' | 'timeoutMs';
const fields: Field[] = ['name', 'description', 'url', 'inputSchema', 'roles', 'timeoutMs'];

/** Refusals from the BFF that are about one field, shown beside it. */
const codeFields: Partial<Record<string, Field>> = {
  'tool.url_not_allowed': 'url',
  'tool.invalid_schema': 'inputSchema',
  'tool.name_taken': 'name',
};

const exampleSchema = JSON.stringify(
  { type: 'object', properties: { email: { type: 'string' } }, required: ['email'], additionalProperties: false },
  null,
  2,
);

interface HttpToolFormProps {
  api: ApiClient;
  /** Null: a new tool. */
  editing: HttpTool | null;
  onSaved(tool: HttpTool): void;
  onDeleted(name: string): void;
  onCancel(): void;
}

/** Create or change an HTTP tool; the BFF checks the URL against its allow-list and the SSRF guard. */
export function HttpToolForm({ api, editing, onSaved, onDeleted, onCancel }: HttpToolFormProps) {
  const { t } = useTranslation('admin');
  const errorMessage = useErrorMessage();
  const ids = { method: useId(), risk: useId(), schema: useId(), roles: useId() };
  const [name, setName] = useState(editing?.name ?? '');
  const [description, setDescription] = useState(editing?.description ?? '');
  const [method, setMethod] = useState<HttpTool['method']>(editing?.method ?? 'GET');
  const [url, setUrl] = useState(editing?.url ?? 'https://');
  const [schemaText, setSchemaText] = useState(editing ? JSON.stringify(editing.inputSchema, null, 2) : exampleSchema);
  const [risk, setRisk] = useState<ToolRisk>(editing?.risk ?? 'read');
  const [chosenRoles, setChosenRoles] = useState<Role[]>(editing?.roles ?? ['agent_l1', 'agent_l2', 'admin']);
  const [timeoutMs, setTimeoutMs] = useState(String(editing?.timeoutMs ?? 10_000));
  const [enabled, setEnabled] = useState(editing?.enabled ?? true);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<Field, string>>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [confirmingDelete, setConfirmingDelete] = useState(false);

  const messagesFor = (invalid: Set<string>) =>
    Object.fromEntries(fields.filter((f) => invalid.has(f)).map((f) => [f, t(`toolFormInvalid.${f}`)]));

  function showFailure(error: unknown) {
    const field = error instanceof ApiRequestError ? codeFields[error.code] : undefined;
    const rejected = rejectedFields(error);
    if (field) setFieldErrors({ [field]: errorMessage(error) });
    else if (rejected) setFieldErrors(messagesFor(rejected));
    else setFailure(errorMessage(error));
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setFailure(null);
    let inputSchema: unknown;
    try {
      inputSchema = JSON.parse(schemaText);
    } catch {
      setFieldErrors({ inputSchema: t('toolFormInvalid.json') });
      return;
    }
    const body = {
      name,
      description,
      method,
      url,
      inputSchema,
      risk,
      roles: chosenRoles,
      timeoutMs: Number(timeoutMs),
      enabled,
    };
    const parsed = editing
      ? updateHttpToolRequestSchema.safeParse({ ...body, name: undefined })
      : createHttpToolRequestSchema.safeParse(body);
    if (!parsed.success) {
      setFieldErrors(messagesFor(invalidFields(parsed.error.issues)));
      return;
    }
    setFieldErrors({});
    setPending(true);
    try {
      const { name: _ignored, ...patch } = body;
      onSaved(
        editing
          ? await updateHttpTool(api, editing.id, patch as Parameters<typeof updateHttpTool>[2])
          : await createHttpTool(api, body as Parameters<typeof createHttpTool>[1]),
      );
    } catch (error) {
      showFailure(error);
      setPending(false);
    }
  }

  async function remove() {
    if (!editing) return;
    setPending(true);
    try {
      await deleteHttpTool(api, editing.id);
      onDeleted(editing.name);
    } catch (error) {
      showFailure(error);
      setPending(false);
    }
  }

  const toggleRole = (role: Role) =>
    setChosenRoles((current) => (current.includes(role) ? current.filter((r) => r !== role) : [...current, role]));

  return (
    <form
      className="form"
      noValidate
      onSubmit={(event) => void submit(event)}
      aria-busy={pending}
      aria-label={editing ? t('toolForm.editTitle', { name: editing.name }) : t('toolForm.createTitle')}
      data-testid="http-tool-form"
    >
      <h3>{editing ? t('toolForm.editTitle', { name: editing.name }) : t('toolForm.createTitle')}</h3>
      {failure ? <ErrorNotice title={t('toolForm.failed')}>{failure}</ErrorNotice> : null}
      {editing ? null : (
        <TextField
          label={t('toolForm.name')}
          hint={t('toolForm.nameHint')}
          autoFocus
          required
          value={name}
          onChange={(event) => setName(event.target.value)}
          error={fieldErrors.name}
        />
      )}
      <TextField
        label={t('toolForm.description')}
        hint={t('toolForm.descriptionHint')}
        required
        value={description}
        onChange={(event) => setDescription(event.target.value)}
        error={fieldErrors.description}
      />
      <label htmlFor={ids.method}>
        {t('toolForm.method')}
        <select
          id={ids.method}
          value={method}
          onChange={(event) => setMethod(event.target.value as HttpTool['method'])}
        >
          {httpToolMethods.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
      </label>
      <TextField
        label={t('toolForm.url')}
        hint={t('toolForm.urlHint')}
        type="url"
        required
        value={url}
        onChange={(event) => setUrl(event.target.value)}
        error={fieldErrors.url}
      />
      <div className="field">
        <label htmlFor={ids.schema}>
          {t('toolForm.inputSchema')}
          <textarea
            id={ids.schema}
            rows={8}
            spellCheck={false}
            value={schemaText}
            onChange={(event) => setSchemaText(event.target.value)}
            aria-invalid={fieldErrors.inputSchema ? true : undefined}
            aria-describedby={fieldErrors.inputSchema ? `${ids.schema}-error` : `${ids.schema}-hint`}
            style={{ width: '100%', fontFamily: 'monospace' }}
          />
        </label>
        <small id={`${ids.schema}-hint`} className="field-hint">
          {t('toolForm.inputSchemaHint')}
        </small>
        {fieldErrors.inputSchema ? (
          <small id={`${ids.schema}-error`} className="field-error" role="alert">
            {fieldErrors.inputSchema}
          </small>
        ) : null}
      </div>
      <label htmlFor={ids.risk}>
        {t('tools.risk')}
        <select id={ids.risk} value={risk} onChange={(event) => setRisk(event.target.value as ToolRisk)}>
          {toolRisks.map((r) => (
            <option key={r} value={r}>
              {t(`toolRisks.${r}`)}
            </option>
          ))}
        </select>
      </label>
      <fieldset aria-describedby={fieldErrors.roles ? `${ids.roles}-error` : undefined}>
        <legend>{t('tools.roles')}</legend>
        {roles.map((role) => (
          <label key={role} style={{ display: 'inline-flex', gap: 4, marginInlineEnd: 12 }}>
            <input type="checkbox" checked={chosenRoles.includes(role)} onChange={() => toggleRole(role)} />
            {t(`roles.${role}`)}
          </label>
        ))}
        {fieldErrors.roles ? (
          <small id={`${ids.roles}-error`} className="field-error" role="alert">
            {fieldErrors.roles}
          </small>
        ) : null}
      </fieldset>
      <TextField
        label={t('toolForm.timeout')}
        type="number"
        min={100}
        max={30_000}
        step={100}
        value={timeoutMs}
        onChange={(event) => setTimeoutMs(event.target.value)}
        error={fieldErrors.timeoutMs}
      />
      <label style={{ display: 'inline-flex', gap: 8 }}>
        <input type="checkbox" checked={enabled} onChange={(event) => setEnabled(event.target.checked)} />
        {t('toolForm.enabled')}
      </label>
      <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}>
        <Button type="submit" disabled={pending}>
          {pending ? t('toolForm.saving') : t('toolForm.save')}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          {t('toolForm.cancel')}
        </Button>
        {editing && !confirmingDelete ? (
          <Button variant="danger" onClick={() => setConfirmingDelete(true)}>
            {t('toolForm.delete')}
          </Button>
        ) : null}
        {editing && confirmingDelete ? (
          <Button variant="danger" disabled={pending} onClick={() => void remove()}>
            {t('toolForm.confirmDelete', { name: editing.name })}
          </Button>
        ) : null}
      </div>
    </form>
  );
}

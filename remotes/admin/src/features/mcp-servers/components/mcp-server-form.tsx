import {
  type ApiClient,
  createMcpServerRequestSchema,
  type McpServer,
  type Role,
  roles,
  type ToolRisk,
  toolRisks,
  updateMcpServerRequestSchema,
} from '@atrium/contracts';
import { ApiRequestError, Button, ErrorNotice, invalidFields, rejectedFields, TextField } from '@atrium/shared';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../../../i18n/error-message.js';
import { createMcpServer, deleteMcpServer, type UpdateMcpServerRequest, updateMcpServer } from '../api.js';
import { formatRiskOverrides, parseRiskOverrides } from './risk-overrides.js';

type Field = 'name' | 'url' | 'bearerToken' | 'riskOverrides' | 'roles';
const fields: Field[] = ['name', 'url', 'bearerToken', 'riskOverrides', 'roles'];

/** Refusals from the BFF that are about one field, shown beside it. */
const codeFields: Partial<Record<string, Field>> = {
  'tool.url_not_allowed': 'url',
  'mcp.server_unreachable': 'url',
  'mcp.server_name_taken': 'name',
};

interface McpServerFormProps {
  api: ApiClient;
  /** Null: a new server. */
  editing: McpServer | null;
  onSaved(server: McpServer): void;
  onDeleted(name: string): void;
  onCancel(): void;
}

/**
 * Register or change an external MCP server. The BFF checks the URL with the outbound guard
 * (allow-listed host, public addresses) and, on create, that the server answers `tools/list`.
 */
export function McpServerForm({ api, editing, onSaved, onDeleted, onCancel }: McpServerFormProps) {
  const { t } = useTranslation('admin');
  const errorMessage = useErrorMessage();
  const ids = { risk: useId(), overrides: useId(), roles: useId() };
  const [name, setName] = useState(editing?.name ?? '');
  const [url, setUrl] = useState(editing?.url ?? 'https://');
  const [token, setToken] = useState('');
  const [removeToken, setRemoveToken] = useState(false);
  const [defaultRisk, setDefaultRisk] = useState<ToolRisk>(editing?.defaultRisk ?? 'low');
  const [overridesText, setOverridesText] = useState(formatRiskOverrides(editing?.riskOverrides ?? {}));
  const [chosenRoles, setChosenRoles] = useState<Role[]>(
    editing?.roles ?? ['agent_l1', 'agent_l2', 'approver', 'admin'],
  );
  const [enabled, setEnabled] = useState(editing?.enabled ?? true);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<Field, string>>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [confirmingDelete, setConfirmingDelete] = useState(false);

  const messagesFor = (invalid: Set<string>) =>
    Object.fromEntries(fields.filter((f) => invalid.has(f)).map((f) => [f, t(`mcpFormInvalid.${f}`)]));

  function showFailure(error: unknown) {
    const field = error instanceof ApiRequestError ? codeFields[error.code] : undefined;
    const rejected = rejectedFields(error);
    if (field) setFieldErrors({ [field]: errorMessage(error) });
    else if (rejected && fields.some((f) => rejected.has(f))) setFieldErrors(messagesFor(rejected));
    else setFailure(errorMessage(error));
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setFailure(null);
    const riskOverrides = parseRiskOverrides(overridesText);
    if (!riskOverrides) {
      setFieldErrors({ riskOverrides: t('mcpFormInvalid.riskOverrides') });
      return;
    }
    // On edit, an empty token field keeps the stored token; "remove" sends null.
    const bearerToken = token ? token : editing && !removeToken ? undefined : null;
    const common = { url, defaultRisk, riskOverrides, roles: chosenRoles, enabled };
    const parsed = editing
      ? updateMcpServerRequestSchema.safeParse({ ...common, ...(bearerToken === undefined ? {} : { bearerToken }) })
      : createMcpServerRequestSchema.safeParse({ ...common, name, bearerToken });
    if (!parsed.success) {
      setFieldErrors(messagesFor(invalidFields(parsed.error.issues)));
      return;
    }
    setFieldErrors({});
    setPending(true);
    try {
      onSaved(
        editing
          ? await updateMcpServer(api, editing.id, parsed.data as UpdateMcpServerRequest)
          : await createMcpServer(api, { ...common, name, bearerToken }),
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
      await deleteMcpServer(api, editing.id);
      onDeleted(editing.name);
    } catch (error) {
      showFailure(error);
      setPending(false);
    }
  }

  const toggleRole = (role: Role) =>
    setChosenRoles((current) => (current.includes(role) ? current.filter((r) => r !== role) : [...current, role]));
  const title = editing ? t('mcpForm.editTitle', { name: editing.name }) : t('mcpForm.createTitle');

  return (
    <form
      className="form"
      noValidate
      onSubmit={(event) => void submit(event)}
      aria-busy={pending}
      aria-label={title}
      data-testid="mcp-server-form"
    >
      <h4>{title}</h4>
      {failure ? <ErrorNotice title={t('mcpForm.failed')}>{failure}</ErrorNotice> : null}
      {editing ? null : (
        <TextField
          label={t('mcpForm.name')}
          hint={t('mcpForm.nameHint')}
          autoFocus
          required
          value={name}
          onChange={(event) => setName(event.target.value)}
          error={fieldErrors.name}
        />
      )}
      <TextField
        label={t('mcpForm.url')}
        hint={t('mcpForm.urlHint')}
        type="url"
        required
        value={url}
        onChange={(event) => setUrl(event.target.value)}
        error={fieldErrors.url}
      />
      <TextField
        label={t('mcpForm.token')}
        hint={editing?.hasToken ? t('mcpForm.tokenKeepHint') : t('mcpForm.tokenHint')}
        type="password"
        autoComplete="off"
        value={token}
        disabled={removeToken}
        onChange={(event) => setToken(event.target.value)}
        error={fieldErrors.bearerToken}
      />
      {editing?.hasToken ? (
        <label style={{ display: 'inline-flex', gap: 8 }}>
          <input
            type="checkbox"
            checked={removeToken}
            onChange={(event) => {
              setRemoveToken(event.target.checked);
              if (event.target.checked) setToken('');
            }}
          />
          {t('mcpForm.removeToken')}
        </label>
      ) : null}
      <label htmlFor={ids.risk}>
        {t('mcpForm.defaultRisk')}
        <select id={ids.risk} value={defaultRisk} onChange={(event) => setDefaultRisk(event.target.value as ToolRisk)}>
          {toolRisks.map((r) => (
            <option key={r} value={r}>
              {t(`toolRisks.${r}`)}
            </option>
          ))}
        </select>
      </label>
      <div className="field">
        <label htmlFor={ids.overrides}>
          {t('mcpForm.riskOverrides')}
          <textarea
            id={ids.overrides}
            rows={4}
            spellCheck={false}
            placeholder="lookup_customer = read"
            value={overridesText}
            onChange={(event) => setOverridesText(event.target.value)}
            aria-invalid={fieldErrors.riskOverrides ? true : undefined}
            aria-describedby={fieldErrors.riskOverrides ? `${ids.overrides}-error` : `${ids.overrides}-hint`}
            style={{ width: '100%', fontFamily: 'monospace' }}
          />
        </label>
        <small id={`${ids.overrides}-hint`} className="field-hint">
          {t('mcpForm.riskOverridesHint')}
        </small>
        {fieldErrors.riskOverrides ? (
          <small id={`${ids.overrides}-error`} className="field-error" role="alert">
            {fieldErrors.riskOverrides}
          </small>
        ) : null}
      </div>
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

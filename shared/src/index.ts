export { type ApiClientOptions, ApiRequestError, createApiClient } from './api-client.js';
export { createEventBus } from './event-bus.js';
export { invalidFields, rejectedFields } from './forms/invalid-fields.js';
export { TextField } from './forms/text-field.js';
export { registerTranslations } from './i18n.js';
export { defaultReturnPath, safeReturnPath, signInPath } from './navigation/return-path.js';
export { roleNames } from './role-names.js';
export { argumentsForDisplay, escapeBidiControls } from './text/bidi.js';
export { Button, EmptyState, ErrorNotice, Spinner, TableScroll } from './ui/primitives.js';

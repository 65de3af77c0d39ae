/**
 * The remote's styles, built on the shell's CSS variables. React 19 hoists this `<style>` into
 * `<head>` once (keyed by `href`), so the remote needs no CSS chunk of its own. One column that
 * wraps, so the page works from 390 px wide up.
 */
const css = `
.uploads-page { display: grid; gap: 16px; min-width: 0; }
.uploads-page-header h1 { margin: 0 0 4px; font-size: 1.4rem; }
.uploads-page-header p { margin: 0; color: var(--muted); }
.uploads-panel, .uploads-library { background: var(--card); border: 1px solid var(--border); border-radius: 10px; padding: 16px; display: grid; gap: 12px; min-width: 0; }
.uploads-panel h2, .uploads-library h2 { margin: 0; font-size: 1.1rem; }
.uploads-audience { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; }
.uploads-drop { display: grid; justify-items: center; gap: 6px; padding: 24px 16px; border: 2px dashed var(--border); border-radius: 10px; text-align: center; }
.uploads-drop[data-dragging] { border-color: var(--accent); background: color-mix(in srgb, var(--accent) 8%, transparent); }
.uploads-drop p { margin: 0; }
.uploads-drop-title { font-weight: 600; }
.uploads-drop-or { color: var(--muted); font-size: 0.85rem; }
.uploads-choose { display: inline-block; }
.uploads-file-input:focus-visible + .uploads-choose { outline: 2px solid var(--accent); outline-offset: 2px; }
.uploads-hint { color: var(--muted); font-size: 0.85rem; max-width: 60ch; }
.uploads-items, .uploads-docs { list-style: none; margin: 0; padding: 0; display: grid; gap: 8px; }
.uploads-item { border: 1px solid var(--border); border-radius: 8px; padding: 10px 12px; display: grid; gap: 6px; }
.uploads-item[data-phase='failed'], .uploads-item[data-phase='rejected'] { border-color: var(--danger); }
.uploads-item-head { display: flex; gap: 8px; align-items: baseline; min-width: 0; }
.uploads-item-name { flex: 1; min-width: 0; overflow-wrap: anywhere; font-weight: 600; }
.uploads-item-size { color: var(--muted); font-size: 0.85rem; white-space: nowrap; }
.uploads-item-progress { display: flex; gap: 8px; align-items: center; font-size: 0.85rem; color: var(--muted); font-variant-numeric: tabular-nums; }
.uploads-item-progress progress { flex: 1; min-width: 0; }
.uploads-item-status { margin: 0; font-size: 0.9rem; }
.uploads-item[data-phase='failed'] .uploads-item-status, .uploads-item[data-phase='rejected'] .uploads-item-status { color: var(--danger); }
.uploads-item-actions, .uploads-doc-actions { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
.uploads-link:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
.uploads-filters { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-end; }
.uploads-field { display: grid; gap: 4px; min-width: 0; }
.uploads-field-search { flex: 1 1 260px; }
.uploads-search-row { display: flex; gap: 8px; }
.uploads-search-row input { flex: 1; min-width: 0; }
.uploads-doc { border: 1px solid var(--border); border-radius: 8px; padding: 12px; display: grid; gap: 6px; min-width: 0; }
.uploads-doc:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
.uploads-doc[data-highlighted] { border-color: var(--accent); box-shadow: 0 0 0 2px color-mix(in srgb, var(--accent) 35%, transparent); }
.uploads-doc-head { display: flex; flex-wrap: wrap; gap: 8px; align-items: baseline; }
.uploads-doc-head h3 { margin: 0; font-size: 1rem; flex: 1 1 12ch; min-width: 0; overflow-wrap: anywhere; }
.uploads-badge { font-size: 0.78rem; padding: 2px 8px; border-radius: 999px; border: 1px solid var(--border); color: var(--muted); white-space: nowrap; }
.uploads-badge[data-audience='private'] { border-style: dashed; }
.uploads-doc-facts, .uploads-doc-meta { margin: 0; color: var(--muted); font-size: 0.85rem; overflow-wrap: anywhere; }
.uploads-steps-wrap { display: grid; gap: 4px; }
.uploads-steps { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 12px; font-size: 0.8rem; color: var(--muted); }
.uploads-steps li { display: flex; align-items: center; gap: 4px; }
.uploads-steps li::before { content: ''; width: 8px; height: 8px; border-radius: 50%; border: 2px solid var(--border); }
.uploads-steps li[data-state='done']::before { background: var(--accent); border-color: var(--accent); }
.uploads-steps li[data-state='current'] { color: var(--fg); font-weight: 600; }
.uploads-steps li[data-state='current']::before { border-color: var(--accent); }
.uploads-step-progress { width: 100%; max-width: 320px; }
.uploads-status { margin: 0; font-size: 0.9rem; }
.uploads-status[data-status='failed'] { color: var(--danger); }
.uploads-status[data-status='ready'] { color: var(--accent); }
.uploads-error-text { margin: 0; color: var(--danger); font-size: 0.9rem; }
.uploads-more { display: flex; justify-content: center; }
.uploads-dialog { border: 1px solid var(--border); border-radius: 10px; background: var(--card); color: var(--fg); width: min(440px, calc(100vw - 32px)); padding: 20px; }
.uploads-dialog::backdrop { background: rgb(0 0 0 / 35%); }
.uploads-dialog h2 { margin-top: 0; font-size: 1.1rem; overflow-wrap: anywhere; }
.uploads-dialog-form { display: grid; gap: 8px; }
.uploads-dialog-form textarea { resize: vertical; }
.uploads-dialog-actions { display: flex; flex-wrap: wrap; justify-content: flex-end; gap: 8px; margin-top: 8px; }
@media (max-width: 480px) {
  .uploads-panel, .uploads-library { padding: 12px; }
  .uploads-filters > .uploads-field { flex: 1 1 100%; }
  .uploads-filters select { width: 100%; }
}
`;

export function UploadStyles() {
  return (
    <style href="atrium-upload-ui" precedence="default">
      {css}
    </style>
  );
}

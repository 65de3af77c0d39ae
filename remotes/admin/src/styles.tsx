/**
 * The remote's styles, built on the shell's CSS variables. React 19 hoists this `<style>` into
 * `<head>` once (keyed by `href`), so the remote needs no CSS chunk of its own.
 */
const css = `
.admin-muted { color: var(--muted); }
.admin-plan-override { max-width: 28rem; overflow-wrap: anywhere; }
.admin-plan-override summary { cursor: pointer; }
.admin-plan-override details > p { margin: 4px 0 0; max-height: 12rem; overflow-y: auto; white-space: pre-wrap; }
.admin-nowrap { white-space: nowrap; }
.admin-notice:focus { outline: none; }
.admin-notice:empty { display: none; }
.admin-notice { color: #1f7a3a; font-weight: 600; }
@media (prefers-color-scheme: dark) { .admin-notice { color: #7bd88f; } }
.admin-actions { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
.admin-subnav { display: flex; gap: 16px; margin-bottom: 12px; font-size: 0.95rem; }
.admin-subnav a.active { font-weight: 600; }
a:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; border-radius: 2px; }
.admin-badge { display: inline-block; font-size: 0.75rem; padding: 1px 8px; margin-left: 6px; border-radius: 999px; border: 1px solid var(--border); color: var(--muted); background: var(--card); vertical-align: middle; }
.admin-badge-stable { border-color: #1f7a3a; color: #1f7a3a; }
.admin-badge-canary { border-color: #c98a00; color: #8a5d00; }
.admin-badge-danger { border-color: var(--danger); color: var(--danger); }
.admin-badge-auto { border-color: #7b4bc4; color: #7b4bc4; margin-left: 0; margin-right: 6px; }
@media (prefers-color-scheme: dark) { .admin-badge-canary { color: #f0c46a; } .admin-badge-stable { color: #7bd88f; } .admin-badge-auto { color: #c4a6ff; } }
.admin-release-cards { list-style: none; margin: 0; padding: 0; display: grid; gap: 12px; grid-template-columns: repeat(auto-fill, minmax(min(100%, 300px), 1fr)); }
.admin-release-card { border: 1px solid var(--border); border-radius: 10px; padding: 12px 16px; }
.admin-release-card h3 { margin: 0 0 8px; font-size: 1.05rem; }
.admin-facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px; margin: 0 0 12px; }
.admin-facts dt { color: var(--muted); }
.admin-facts dd { margin: 0; }
.admin-canary-bar { width: 80px; height: 10px; vertical-align: middle; }
.admin-health-failing { color: var(--danger); font-weight: 600; }
.admin-health-healthy { color: #1f7a3a; }
.admin-release-page h3 { margin: 20px 0 8px; }
.admin-release-page td, .admin-release-page th { vertical-align: top; }
.admin-percent-inputs { display: flex; gap: 8px; align-items: center; }
.admin-percent-inputs input[type=number] { width: 80px; }
.admin-percent-inputs input[type=range] { flex: 1; }
.admin-history { list-style: none; margin: 0 0 12px; padding: 0; display: grid; gap: 8px; }
.admin-history li { border-left: 3px solid var(--border); padding: 4px 10px; display: grid; gap: 2px; }
.admin-history li[data-automatic=true] { border-left-color: #7b4bc4; }
.admin-history-head { display: flex; flex-wrap: wrap; gap: 10px; align-items: baseline; }
.admin-history time { color: var(--muted); font-size: 0.85rem; }
.admin-dialog { border: 1px solid var(--border); border-radius: 10px; background: var(--card); color: var(--fg); padding: 20px; max-width: min(560px, 92vw); }
.admin-dialog::backdrop { background: rgb(0 0 0 / 40%); }
.admin-dialog h2 { margin-top: 0; font-size: 1.15rem; }
.admin-dialog-form { max-width: none; }
/* A label above its box at every width, the box as wide as the dialog. */
.admin-dialog-field { display: grid; gap: 4px; }
.admin-dialog-field textarea { width: 100%; box-sizing: border-box; resize: vertical; }
.admin-dialog-summary { margin: 0; padding: 8px 12px; border-radius: 6px; background: color-mix(in srgb, var(--danger) 8%, var(--card)); }
.admin-secret { border: 2px solid #c98a00; border-radius: 10px; padding: 12px 16px; display: grid; gap: 8px; }
.admin-secret input { font-family: ui-monospace, monospace; }
.admin-tokens { display: grid; gap: 16px; }
.admin-audit-filters { display: flex; flex-wrap: wrap; gap: 12px; align-items: end; max-width: none; margin-bottom: 12px; }
.admin-audit-filters label { display: grid; gap: 4px; }
.admin-audit-filters input[type=search] { width: min(22rem, 80vw); }
.admin-root > h1 { margin-top: 0; }
.admin-root > nav { display: flex; flex-wrap: wrap; gap: 8px 16px; margin-bottom: 16px; }
.admin-overview-cards { list-style: none; margin: 12px 0 0; padding: 0; display: grid; gap: 12px; grid-template-columns: repeat(auto-fill, minmax(min(100%, 240px), 1fr)); }
.admin-overview-card { position: relative; border: 1px solid var(--border); border-radius: 10px; padding: 14px 16px; background: var(--card); display: grid; gap: 6px; align-content: start; }
.admin-overview-card:hover, .admin-overview-card:focus-within { border-color: var(--accent); box-shadow: 0 1px 6px color-mix(in srgb, var(--accent) 20%, transparent); }
.admin-overview-card h2 { margin: 0; font-size: 1.05rem; }
.admin-overview-card h2 a { text-decoration: none; }
/* The whole card is the link's hit area; the heading stays the one focusable, named link. */
.admin-overview-card h2 a::after { content: ''; position: absolute; inset: 0; border-radius: 10px; }
.admin-overview-card p { margin: 0; color: var(--muted); }
/* Only what will happen (it may hold ids) breaks anywhere; headings, risks and names wrap between words. */
@media (min-width: 761px) {
  .admin-approvals-table th, .admin-approvals-table td { overflow-wrap: normal; vertical-align: top; }
  .admin-approvals-table td.admin-approvals-what { overflow-wrap: anywhere; min-width: 16rem; }
}
@media (max-width: 760px) {
  .admin-root > h1 { font-size: 1.5rem; }
  /* A wide log reads better as one block per entry than scrolled sideways: each cell under its column's name. */
  .admin-stacked-table thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  .admin-stacked-table tr { display: grid; gap: 4px; padding: 10px 0; border-bottom: 1px solid var(--border); }
  .admin-stacked-table td { display: block; padding: 0; border: none; overflow-wrap: anywhere; }
  .admin-stacked-table td::before { content: attr(data-label); display: block; color: var(--muted); font-size: 0.8rem; }
  .admin-stacked-table td.admin-nowrap { white-space: normal; }
  .admin-release-page h3 { margin-top: 16px; }
}
.admin-audit-json { margin: 4px 0 0; font-size: 0.8rem; white-space: pre-wrap; word-break: break-all; }
`;

export function AdminStyles() {
  return (
    <style href="atrium-admin" precedence="default">
      {css}
    </style>
  );
}

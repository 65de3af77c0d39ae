/**
 * The remote's styles, built on the shell's CSS variables. React 19 hoists this `<style>` into
 * `<head>` once (keyed by `href`), so the remote needs no CSS chunk of its own.
 */
const css = `
.chat-page { display: flex; flex-direction: column; gap: 12px; height: calc(100dvh - var(--chat-top, 90px) - 20px); min-height: 420px; }
.chat-page-header { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 12px; }
.chat-page-header h1 { margin: 0; font-size: 1.4rem; flex: 1; }
.chat-version { color: var(--muted); font-size: 0.8rem; font-variant-numeric: tabular-nums; }
.chat-badge { display: inline-block; font-size: 0.78rem; padding: 2px 8px; border-radius: 999px; border: 1px solid var(--border); color: var(--muted); background: var(--card); }
.chat-badge-warn { border-color: #c98a00; color: #8a5d00; }
@media (prefers-color-scheme: dark) { .chat-badge-warn { color: #f0c46a; } }
.chat-reconnecting { color: var(--danger); font-size: 0.85rem; }
.chat-panes { flex: 1; min-height: 0; display: grid; grid-template-columns: 280px minmax(0, 1fr); gap: 16px; }
.chat-list-pane, .chat-conversation { background: var(--card); border: 1px solid var(--border); border-radius: 10px; min-height: 0; }
.chat-list-pane { display: flex; flex-direction: column; gap: 8px; padding: 12px; overflow-y: auto; }
.chat-list-tools { display: flex; gap: 8px; }
.chat-list-tools input { flex: 1; min-width: 0; }
.chat-list { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: minmax(0, 1fr); gap: 2px; }
.chat-item { position: relative; border-radius: 8px; }
.chat-item:hover, .chat-item:focus-within, .chat-item-current { background: color-mix(in srgb, var(--accent) 10%, transparent); }
.chat-item-link { display: grid; gap: 2px; padding: 8px 10px; text-decoration: none; color: var(--fg); border-radius: 8px; }
.chat-item-link:focus-visible { outline: 2px solid var(--accent); outline-offset: -2px; }
.chat-item-current .chat-item-title { font-weight: 600; }
.chat-item-title, .chat-item-preview { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.chat-item-preview { color: var(--muted); font-size: 0.82rem; }
.chat-item-actions { display: flex; gap: 4px; padding: 0 10px 6px; opacity: 0; }
.chat-item:hover .chat-item-actions, .chat-item:focus-within .chat-item-actions, .chat-item-current .chat-item-actions { opacity: 1; }
.chat-icon-btn { font: inherit; font-size: 0.78rem; background: none; border: none; color: var(--muted); cursor: pointer; padding: 2px 4px; border-radius: 4px; }
.chat-icon-btn:hover { color: var(--fg); text-decoration: underline; }
.chat-icon-btn-danger:hover { color: var(--danger); }
.chat-icon-btn:focus-visible { outline: 2px solid var(--accent); }
.chat-rename { display: flex; flex-wrap: wrap; justify-content: flex-end; gap: 6px; padding: 6px; }
.chat-rename input { flex: 1 1 100%; width: 100%; min-width: 0; }
.chat-rename .field-error { flex-basis: 100%; }
.chat-conversation { display: flex; flex-direction: column; overflow: hidden; }
.chat-conversation-header { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 12px; padding: 10px 16px; border-bottom: 1px solid var(--border); min-width: 0; }
.chat-conversation-header h2 { flex: 1 1 8rem; min-width: 0; margin: 0; font-size: 1.05rem; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.chat-conversation-header > .field-error { flex-basis: 100%; }
.chat-back { display: none; }
.chat-agent-picker { display: inline-flex; align-items: center; gap: 6px; margin-left: auto; flex: 0 1 auto; min-width: 0; max-width: 100%; font-size: 0.85rem; color: var(--muted); }
.chat-agent-picker label { flex: none; white-space: nowrap; }
.chat-agent-picker select { flex: 0 1 auto; min-width: 0; max-width: 14rem; }
.chat-agent-locked { flex-basis: 100%; display: flex; flex-wrap: wrap; align-items: center; gap: 8px 12px; padding: 8px 12px; border: 1px solid #c98a00; border-radius: 8px; font-size: 0.9rem; overflow-wrap: anywhere; }
.chat-agent-locked > span { flex: 1 1 14rem; min-width: 0; }
.chat-item-agent { display: block; font-size: 0.75rem; color: var(--muted); }
.chat-conversation-body { flex: 1; min-height: 0; display: flex; flex-direction: column; }
.chat-conversation-body > .atrium-empty, .chat-conversation-body > .atrium-spinner, .chat-conversation-body > .atrium-error { margin: auto; }
.chat-scroll-area { position: relative; flex: 1; min-height: 0; display: flex; }
.chat-scroller { flex: 1; overflow-y: auto; padding: 16px; overscroll-behavior: contain; }
.chat-older { display: flex; justify-content: center; padding-bottom: 12px; }
.chat-messages { list-style: none; margin: 0 auto; padding: 0; display: grid; gap: 16px; max-width: 820px; }
.chat-message { display: grid; gap: 4px; }
.chat-message-user { justify-items: end; }
.chat-message-user .chat-message-body { background: color-mix(in srgb, var(--accent) 12%, var(--card)); border-radius: 12px 12px 2px 12px; padding: 8px 12px; max-width: 85%; }
.chat-message-meta { display: flex; gap: 8px; align-items: center; font-size: 0.8rem; color: var(--muted); }
.chat-message-author { font-weight: 600; }
.chat-message-body { min-width: 0; max-width: 100%; overflow-wrap: anywhere; line-height: 1.55; }
.chat-user-text { margin: 0; white-space: pre-wrap; }
.chat-thinking { color: var(--muted); margin: 0; }
.chat-message-writing .chat-md > :last-child::after { content: ''; display: inline-block; width: 0.5em; height: 1em; margin-left: 2px; background: var(--accent); vertical-align: text-bottom; animation: chat-blink 1s steps(1) infinite; }
@keyframes chat-blink { 50% { opacity: 0; } }
@media (prefers-reduced-motion: reduce) { .chat-message-writing .chat-md > :last-child::after { animation: none; } }
.chat-message-error { color: var(--danger); font-size: 0.9rem; margin: 0; }
.chat-action-error { padding: 6px 16px; }
.chat-message-sending { color: var(--muted); font-size: 0.8rem; }
.chat-message-actions { display: flex; gap: 8px; }
.chat-steps { list-style: none; margin: 8px 0 0; padding: 0; display: grid; gap: 6px; }
.chat-step { border: 1px solid var(--border); border-radius: 8px; padding: 6px 10px; font-size: 0.9rem; min-width: 0; }
.chat-step-head { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
.chat-step-summary { margin: 4px 0 0; overflow-wrap: anywhere; }
.chat-tool-args { margin: 4px 0 0; max-height: 12rem; overflow: auto; font-size: 0.8rem; white-space: pre-wrap; overflow-wrap: anywhere; }
.chat-tool-draft { margin-top: 8px; border: 1px solid var(--border); border-left: 4px solid #c98a00; border-radius: 8px; padding: 8px 10px; background: var(--card); }
.chat-tool-draft-executed { border-left-color: #2e7d32; }
.chat-tool-draft-failed, .chat-tool-draft-rejected { border-left-color: var(--danger); }
.chat-tool-draft-expired, .chat-tool-draft-withdrawn { border-left-color: var(--muted); }
.chat-tool-draft-head { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; overflow-wrap: anywhere; }
.chat-tool-draft-approvals, .chat-tool-draft-outcome { margin: 6px 0 0; }
.chat-tool-draft-levels { list-style: none; margin: 4px 0; padding: 0; }
.chat-tool-draft-confirm { margin: 6px 0 0; padding: 0; border: 0; min-width: 0; }
.chat-tool-draft-confirm legend { padding: 0; margin-bottom: 6px; overflow-wrap: anywhere; }
.chat-jump { position: absolute; bottom: 12px; left: 50%; transform: translateX(-50%); box-shadow: 0 2px 8px rgb(0 0 0 / 15%); }
.chat-composer { display: flex; flex-wrap: wrap; gap: 8px; align-items: flex-end; padding: 12px 16px; border-top: 1px solid var(--border); }
.chat-composer-limit { order: -1; flex-basis: 100%; margin: 0; font-size: 0.8rem; color: var(--muted); text-align: right; font-variant-numeric: tabular-nums; }
.chat-composer-limit-over { color: var(--danger); text-align: left; }
.chat-composer textarea { flex: 1; resize: none; min-width: 0; line-height: 1.4; }
.chat-composer-actions { display: flex; gap: 8px; }
.chat-md > :first-child { margin-top: 0; }
.chat-md > :last-child { margin-bottom: 0; }
.chat-md p { margin: 0.5em 0; }
.chat-md ul, .chat-md ol { margin: 0.4em 0; padding-left: 1.4em; }
.chat-md blockquote { margin: 0.5em 0; padding-left: 12px; border-left: 3px solid var(--border); color: var(--muted); }
.chat-md code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; background: color-mix(in srgb, var(--fg) 8%, transparent); padding: 1px 4px; border-radius: 4px; }
.chat-md-heading { margin: 0.8em 0 0.4em; font-size: 1.05rem; }
.chat-md-image { font-style: italic; }
.chat-code { margin: 0.6em 0; border: 1px solid var(--border); border-radius: 8px; overflow: hidden; }
.chat-code-bar { display: flex; align-items: center; gap: 8px; padding: 4px 8px; background: color-mix(in srgb, var(--fg) 6%, var(--card)); font-size: 0.8rem; color: var(--muted); }
.chat-code-lang { flex: 1; font-family: ui-monospace, monospace; }
.chat-code-copy { padding: 2px 10px; font-size: 0.8rem; }
.chat-code pre { margin: 0; padding: 10px 12px; overflow-x: auto; }
.chat-code pre code { background: none; padding: 0; white-space: pre; }
.chat-dialog { border: 1px solid var(--border); border-radius: 10px; background: var(--card); color: var(--fg); max-width: 420px; padding: 20px; }
.chat-dialog::backdrop { background: rgb(0 0 0 / 35%); }
.chat-dialog h2 { margin-top: 0; font-size: 1.1rem; }
.chat-dialog-actions { display: flex; justify-content: flex-end; gap: 8px; }
.chat-cite { display: inline-flex; align-items: center; justify-content: center; min-width: 1.5em; height: 1.5em; margin: 0 1px; padding: 0 4px; border: 1px solid var(--border); border-radius: 999px; background: var(--card); color: var(--accent); font: inherit; font-size: 0.75em; line-height: 1; vertical-align: 0.15em; cursor: pointer; }
button.chat-cite:hover, button.chat-cite:focus-visible { border-color: var(--accent); }
.chat-sources { margin-top: 8px; font-size: 0.85rem; }
.chat-sources-title { margin: 0 0 4px; color: var(--muted); font-weight: 600; }
.chat-sources ol { list-style: none; margin: 0; padding: 0; display: grid; gap: 2px; }
.chat-source { display: flex; align-items: baseline; gap: 6px; width: 100%; padding: 4px 6px; border: 0; border-radius: 6px; background: none; color: inherit; font: inherit; text-align: left; cursor: pointer; }
.chat-source:hover, .chat-source:focus-visible { background: color-mix(in srgb, var(--fg) 6%, transparent); }
.chat-source-path { min-width: 0; overflow-wrap: anywhere; }
.chat-source-page { color: var(--muted); white-space: nowrap; }
.chat-source-dialog { width: min(640px, calc(100vw - 24px)); max-width: none; max-height: calc(100dvh - 24px); box-sizing: border-box; }
.chat-source-where { display: flex; flex-wrap: wrap; gap: 4px 10px; margin: 0 0 8px; color: var(--muted); overflow-wrap: anywhere; }
.chat-source-passage { max-height: 55dvh; overflow: auto; white-space: pre-wrap; overflow-wrap: anywhere; }
.chat-source-passage p { margin: 0 0 8px; }
.chat-source-passage mark { background: color-mix(in srgb, var(--accent) 22%, transparent); color: inherit; border-radius: 2px; }
.chat-source-context { color: var(--muted); }
.chat-source-excerpt { margin: 8px 0; }
.chat-source-excerpt figcaption { color: var(--muted); font-size: 0.85rem; }
.chat-source-excerpt blockquote { margin: 4px 0 0; padding-left: 12px; border-left: 3px solid var(--border); white-space: pre-wrap; overflow-wrap: anywhere; }
@media (max-width: 760px) {
  .chat-page { height: calc(100dvh - var(--chat-top, 90px) - 12px); min-height: 360px; }
  .chat-panes { grid-template-columns: minmax(0, 1fr); }
  .chat-conversation-header { padding: 8px 12px; }
  .chat-agent-picker { flex: 1 1 100%; margin-left: 0; }
  .chat-agent-picker select { flex: 1 1 auto; max-width: 100%; }
  .chat-scroller { padding: 12px; }
  .chat-composer { padding: 8px 12px; }
  .chat-message-user .chat-message-body { max-width: 92%; }
  .chat-page[data-view='conversation'] .chat-list-pane { display: none; }
  .chat-page[data-view='list'] .chat-conversation { display: none; }
  .chat-back { display: inline; white-space: nowrap; }
  .chat-item-actions { opacity: 1; }
  .chat-source-dialog { padding: 14px; }
  .chat-cite { min-width: 1.8em; height: 1.8em; }
}
`;

export function ChatStyles() {
  return (
    <style href="atrium-chat-core" precedence="default">
      {css}
    </style>
  );
}

import type { MountProps } from '@atrium/contracts';
import { defaultAgentId } from '@atrium/contracts/values';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { switchAgent } from '../features/agent/api.js';
import { AgentBadge } from '../features/agent/components/agent-badge.js';
import { AgentLockedNotice } from '../features/agent/components/agent-locked-notice.js';
import { AgentPicker } from '../features/agent/components/agent-picker.js';
import { needsDefaultAgent } from '../features/agent/hooks/agent-access.js';
import { agentLabel, useAgents } from '../features/agent/hooks/use-agents.js';
import { createChat } from '../features/chats/api.js';
import { ChatList } from '../features/chats/components/chat-list.js';
import { useChatList } from '../features/chats/hooks/use-chat-list.js';
import { useDebounced } from '../features/chats/hooks/use-debounced.js';
import { Conversation } from '../features/conversation/components/conversation.js';
import type { NewChat } from '../features/conversation/hooks/use-conversation.js';
import { useErrorMessage } from '../i18n/error-message.js';
import { ChatStyles } from '../styles.js';
import { ReconnectingHint } from '../ui/reconnecting-hint.js';
import { useFillViewport } from '../ui/use-fill-viewport.js';
import { remoteVersion } from '../version.js';

/** The path segment of a conversation not created yet: `/chat/new` (chat ids are uuids). */
const newChatSegment = 'new';

/**
 * Chat list on the left, the open conversation (or a fresh one) on the right. On a narrow
 * screen only one shows: the list at `/chat`, the conversation at `/chat/:chatId` and a fresh
 * one at `/chat/new` ("New chat"), each with a way back to the list.
 */
export function ChatPage({ api, events, basePath, session }: MountProps) {
  const { t } = useTranslation('chat');
  const params = useParams();
  const composing = params.chatId === newChatSegment;
  const chatId = composing ? null : (params.chatId ?? null);
  const navigate = useNavigate();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 250);
  const chatList = useChatList(api, events, q);
  const { saved, removed } = chatList;
  const composerRef = useRef<HTMLTextAreaElement>(null);
  const pageRef = useRef<HTMLDivElement>(null);
  useFillViewport(pageRef);
  const errorMessage = useErrorMessage();

  // The picker shows with `multi_agent` in the session the shell gives us (refetched on
  // `entitlement.updated`, so it appears or goes in every open tab at once).
  const multiAgent = session?.entitlements.includes('multi_agent') ?? false;
  const agentList = useAgents(api, session?.entitlements.join(',') ?? '');
  const agents = agentList?.agents ?? [];
  const [newAgentId, setNewAgentId] = useState<string>(defaultAgentId);
  const [switching, setSwitching] = useState(false);
  const [agentError, setAgentError] = useState<string | null>(null);
  const chosenAgentId = multiAgent ? newAgentId : defaultAgentId;

  const newChat = useMemo<NewChat>(
    () => ({
      // Created untitled: the BFF titles it from the first message, and until then the list says "New chat" in the reader's language.
      create: async () => {
        const chat = await createChat(api, chosenAgentId === defaultAgentId ? {} : { agentId: chosenAgentId });
        saved(chat);
        return chat.id;
      },
      open: (id) => navigate(`${basePath}/${id}`),
    }),
    [api, basePath, navigate, saved, chosenAgentId],
  );

  // Focus after the conversation pane is shown: on a phone it is hidden until the route says so.
  useEffect(() => {
    if (composing) composerRef.current?.focus();
  }, [composing]);

  const current = chatList.state.chats.find((chat) => chat.id === chatId);
  const currentAgentId = chatId ? (current?.agentId ?? null) : chosenAgentId;
  const currentAgent = agents.find((agent) => agent.id === currentAgentId);
  // A chat kept from a plan with `multi_agent`: its agent no longer answers (402), so offer the default.
  const locked = chatId !== null && needsDefaultAgent(session?.entitlements, current?.agentId);
  const defaultAgent = agents.find((agent) => agent.id === defaultAgentId);
  const agentNames = useMemo(() => new Map(agents.map((agent) => [agent.id, agentLabel(agent, t)])), [agents, t]);

  async function chooseAgent(agentId: string): Promise<boolean> {
    setAgentError(null);
    if (!chatId) {
      setNewAgentId(agentId);
      return true;
    }
    setSwitching(true);
    try {
      saved(await switchAgent(api, chatId, agentId));
      return true;
    } catch (error) {
      setAgentError(errorMessage(error));
      return false;
    } finally {
      setSwitching(false);
    }
  }

  async function continueWithDefault() {
    if (await chooseAgent(defaultAgentId)) composerRef.current?.focus();
  }

  const header = (
    <header className="chat-conversation-header">
      <Link to={basePath} className="chat-back">
        {t('conversation.backToList')}
      </Link>
      <h2 data-testid="conversation-title">
        {chatId ? (current?.title ?? t('list.untitled')) : t('conversation.start')}
      </h2>
      {multiAgent && agentList && currentAgentId ? (
        <AgentPicker agents={agents} value={currentAgentId} onChange={chooseAgent} busy={switching} />
      ) : !locked && currentAgent && currentAgent.id !== defaultAgentId ? (
        <span className="chat-badge" data-testid="chat-agent">
          {t('agents.answering', { name: agentLabel(currentAgent, t) })}
        </span>
      ) : null}
      {locked ? (
        <AgentLockedNotice
          agentName={currentAgent ? agentLabel(currentAgent, t) : (current?.agentId ?? '')}
          defaultName={defaultAgent ? agentLabel(defaultAgent, t) : t('agents.builtIn_support')}
          busy={switching}
          onContinue={continueWithDefault}
        />
      ) : null}
      {agentError ? (
        <small className="field-error" role="alert">
          {agentError}
        </small>
      ) : null}
    </header>
  );

  return (
    <div
      ref={pageRef}
      className="chat-page"
      data-testid="chat-home"
      data-view={chatId || composing ? 'conversation' : 'list'}
    >
      <ChatStyles />
      <header className="chat-page-header">
        <h1>{t('title')}</h1>
        <span className="chat-version" data-testid="chat-core-version" title={t('buildVersion')}>
          v{remoteVersion}
        </span>
        <ReconnectingHint events={events} />
        <AgentBadge api={api} events={events} />
      </header>
      <div className="chat-panes">
        <ChatList
          api={api}
          state={chatList.state}
          search={search}
          onSearch={setSearch}
          currentId={chatId}
          basePath={basePath}
          onNewChat={() => {
            navigate(`${basePath}/${newChatSegment}`);
            composerRef.current?.focus();
          }}
          agentNames={agentNames}
          onRetry={chatList.retry}
          onLoadMore={chatList.loadMore}
          onSaved={saved}
          onDeleted={(id) => {
            removed(id);
            if (id === chatId) navigate(basePath);
          }}
        />
        <Conversation
          api={api}
          events={events}
          chatId={chatId}
          newChat={newChat}
          header={header}
          composerRef={composerRef}
        />
      </div>
    </div>
  );
}

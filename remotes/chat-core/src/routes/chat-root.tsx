import type { MountProps } from '@atrium/contracts';
import { Route, Routes } from 'react-router';
import { ChatPage } from './chat-page.js';

/** Routes relative to the shell's `/chat/*`: the index is a new conversation, `:chatId` an open one. */
export function ChatRoot(props: MountProps) {
  return (
    <Routes>
      <Route path=":chatId?" element={<ChatPage {...props} />} />
    </Routes>
  );
}

import {
  answerResponseSchema,
  chatIdSchema,
  chatResponseSchema,
  createChatRequestSchema,
  listChatsQuerySchema,
  listChatsResponseSchema,
  listMessagesResponseSchema,
  okResponseSchema,
  pageQuerySchema,
  postMessageRequestSchema,
  postMessageResponseSchema,
  renameChatRequestSchema,
} from '@atrium/contracts';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { findChat, listChats, listMessages } from '../chats/repository.js';
import {
  type ChatDeps,
  changeChat,
  createChat,
  deleteChat,
  postMessage,
  regenerate,
  stopAnswer,
} from '../chats/service.js';
import { toChatView, toMessageView } from '../chats/views.js';
import type { AppEnv } from '../env.js';
import { AppError } from '../errors.js';
import { requires } from '../middleware/requires.js';
import { validate } from '../middleware/validate.js';
import { respond } from '../respond.js';

const chatParamSchema = z.object({ id: chatIdSchema });
const idempotencyKeySchema = z.string().min(1).max(200);

const chatDeps = (c: Context<AppEnv>): ChatDeps => c.get('deps');

function idempotencyKey(c: Context<AppEnv>): string {
  const parsed = idempotencyKeySchema.safeParse(c.req.header('idempotency-key'));
  if (!parsed.success) {
    throw new AppError(
      'request.idempotency_key_required',
      400,
      'Send an Idempotency-Key header (1–200 characters) so a retry cannot post the message twice.',
    );
  }
  return parsed.data;
}

export const chatRoutes = new Hono<AppEnv>()
  .use('/api/chats', requires('chat:use'))
  .use('/api/chats/*', requires('chat:use'))
  .get('/api/chats', validate('query', listChatsQuerySchema), async (c) => {
    const page = await listChats(c.get('deps').db, c.get('user')!.id, c.req.valid('query'));
    return respond(c, listChatsResponseSchema, { chats: page.rows.map(toChatView), nextCursor: page.nextCursor });
  })
  .post('/api/chats', validate('json', createChatRequestSchema), async (c) => {
    const chat = await createChat(chatDeps(c), c.get('user')!.id, c.req.valid('json'));
    return respond(c, chatResponseSchema, { chat }, 201);
  })
  .get('/api/chats/:id', validate('param', chatParamSchema), async (c) => {
    const chat = await findChat(c.get('deps').db, c.get('user')!.id, c.req.valid('param').id);
    if (!chat) throw new AppError('chat.not_found', 404, 'No such chat.');
    return respond(c, chatResponseSchema, { chat: toChatView(chat) });
  })
  .patch('/api/chats/:id', validate('param', chatParamSchema), validate('json', renameChatRequestSchema), async (c) => {
    const chat = await changeChat(chatDeps(c), c.get('user')!.id, c.req.valid('param').id, c.req.valid('json'));
    return respond(c, chatResponseSchema, { chat });
  })
  .delete('/api/chats/:id', validate('param', chatParamSchema), async (c) => {
    await deleteChat(chatDeps(c), c.get('user')!.id, c.req.valid('param').id);
    return respond(c, okResponseSchema, { ok: true });
  })
  .get('/api/chats/:id/messages', validate('param', chatParamSchema), validate('query', pageQuerySchema), async (c) => {
    const { db } = c.get('deps');
    const userId = c.get('user')!.id;
    const { id } = c.req.valid('param');
    if (!(await findChat(db, userId, id))) throw new AppError('chat.not_found', 404, 'No such chat.');
    const page = await listMessages(db, userId, id, c.req.valid('query'));
    return respond(c, listMessagesResponseSchema, {
      messages: page.rows.map(toMessageView),
      nextCursor: page.nextCursor,
    });
  })
  .post(
    '/api/chats/:id/messages',
    validate('param', chatParamSchema),
    validate('json', postMessageRequestSchema),
    async (c) => {
      const key = idempotencyKey(c);
      const posted = await postMessage(chatDeps(c), c.get('user')!.id, c.req.valid('param').id, {
        content: c.req.valid('json').content,
        idempotencyKey: key,
      });
      return respond(c, postMessageResponseSchema, posted, posted.created ? 201 : 200);
    },
  )
  .post('/api/chats/:id/stop', validate('param', chatParamSchema), async (c) => {
    const answer = await stopAnswer(chatDeps(c), c.get('user')!.id, c.req.valid('param').id);
    return respond(c, answerResponseSchema, { answer });
  })
  .post('/api/chats/:id/regenerate', validate('param', chatParamSchema), async (c) => {
    const answer = await regenerate(chatDeps(c), c.get('user')!.id, c.req.valid('param').id);
    return respond(c, answerResponseSchema, { answer }, 201);
  });

import type { Script, ScriptedRequest } from '../../bff/src/testing/scripted-llm.js';

/*
 * Small pieces for a journey's `Responder` (journey.ts `model`): read what the product sent the
 * scripted model, and answer with text or a tool call in the OpenAI streaming protocol.
 */

/** The newest user message's text as the product sent it (it may carry retrieved passages too). */
export function lastUserText(request: ScriptedRequest): string {
  return request.messages.findLast((message) => message.role === 'user')?.content ?? '';
}

/** Whether the product offered the model this function (the asker's role may call or propose it). */
export function offers(request: ScriptedRequest, tool: string): boolean {
  return request.tools?.some((offered) => offered.function.name === tool) ?? false;
}

/** The request continues an answer with tool results: its last message answers a tool call. */
export function toolResults(request: ScriptedRequest): string[] | null {
  const trailing: string[] = [];
  for (let i = request.messages.length - 1; i >= 0 && request.messages[i]!.role === 'tool'; i--) {
    trailing.unshift(request.messages[i]!.content ?? '');
  }
  return trailing.length > 0 ? trailing : null;
}

/** A reply streamed in a few pieces, as a model types it. */
export function say(text: string): Script {
  const pieces = text.match(/.{1,24}/gs) ?? [text];
  return { steps: [...pieces.map((piece) => ({ text: piece })), { usage: { prompt: 40, completion: pieces.length } }] };
}

/** One call of `name`, its JSON arguments streamed in two pieces (the product assembles them). */
export function callTool(name: string, args: Record<string, unknown>): Script {
  const json = JSON.stringify(args);
  const half = Math.floor(json.length / 2);
  return {
    steps: [
      { toolCall: { name, arguments: json.slice(0, half), id: `call_${name}` } },
      { toolCall: { name, arguments: json.slice(half) } },
      { usage: { prompt: 60, completion: 20 } },
    ],
  };
}

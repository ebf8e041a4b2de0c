import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RekognitionError } from './errors';
import type { Operation } from './operations';
import type { RequestBody } from './request-fields';

const TARGET_PREFIX = 'RekognitionService.';
/** Inline images are capped at 4 MB; base64 and the rest of the request fit well within this. */
const MAX_REQUEST_BYTES = 8 * 1024 * 1024;

export type LocalRoute = (body: unknown) => unknown;

/** The JSON 1.1 wire protocol of the real service, plus a few `/local/...` routes of our own. */
export function createRequestHandler(
  operations: Record<string, Operation>,
  localRoutes: Record<string, LocalRoute>,
  log: (line: string) => void,
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    const aborted = new AbortController();
    response.on('close', () => {
      if (!response.writableFinished) aborted.abort();
    });
    void handle(request, response, aborted.signal).catch((error: unknown) => {
      const failure =
        error instanceof RekognitionError
          ? error
          : new RekognitionError('InternalServerError', `Internal error: ${(error as Error).message}`, 500);
      if (failure.statusCode >= 500)
        log(`${request.method} ${request.url} failed: ${(error as Error).stack}`);
      send(response, failure.statusCode, { __type: failure.type, message: failure.message });
    });
  };

  async function handle(
    request: IncomingMessage,
    response: ServerResponse,
    signal: AbortSignal,
  ): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://local').pathname;
    const localRoute = localRoutes[`${request.method} ${path}`];
    if (localRoute) {
      const body = request.method === 'POST' ? await readJson(request) : undefined;
      send(response, 200, localRoute(body));
      return;
    }
    const target = request.headers['x-amz-target'];
    const operation =
      request.method === 'POST' && typeof target === 'string' && target.startsWith(TARGET_PREFIX)
        ? operations[target.slice(TARGET_PREFIX.length)]
        : undefined;
    if (!operation) {
      throw new RekognitionError(
        'UnknownOperationException',
        `The local Rekognition server does not serve ${JSON.stringify(target ?? `${request.method} ${path}`)}; it serves ${Object.keys(operations).join(', ')}.`,
      );
    }
    const body = await readJson(request);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new RekognitionError('InvalidParameterException', 'The request body must be a JSON object.');
    }
    send(response, 200, await operation(body as RequestBody, signal));
  }
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST_BYTES) {
      throw new RekognitionError(
        'ImageTooLargeException',
        `The request is over ${MAX_REQUEST_BYTES} bytes; inline images may be at most 4 MB. Use Image.S3Object.`,
      );
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new RekognitionError('InvalidParameterException', 'The request body is not valid JSON.');
  }
}

function send(response: ServerResponse, status: number, payload: unknown): void {
  if (response.headersSent) return;
  const body = JSON.stringify(payload ?? {});
  response.writeHead(status, {
    'Content-Type': 'application/x-amz-json-1.1',
    'Content-Length': Buffer.byteLength(body),
    'x-amzn-RequestId': randomUUID(),
  });
  response.end(body);
}

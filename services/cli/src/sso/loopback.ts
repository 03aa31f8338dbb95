import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';

/** A one-shot receiver of the provider's redirect on 127.0.0.1 (RFC 8252 §7.3, loopback interface). */
export interface LoopbackCallback {
  /** `http://127.0.0.1:<port>/callback`, the redirect_uri to ask for. */
  redirectUri: string;
  /** The URL the browser was sent back to (with `code` and `state`, or `error`). */
  received(timeoutMs: number): Promise<URL>;
  close(): Promise<void>;
}

const PAGE = (text: string) => `<!doctype html><meta charset="utf-8"><title>fleetctl</title><p>${text}</p>\n`;

/**
 * Listens on a free port of 127.0.0.1 (never another interface) for one GET /callback; the browser
 * gets a page saying to go back to the terminal. Anything else is 404.
 */
export async function listenForCallback(): Promise<LoopbackCallback> {
  let deliver: (url: URL) => void = () => undefined;
  const arrived = new Promise<URL>((resolve) => (deliver = resolve));
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (request.method !== 'GET' || url.pathname !== '/callback') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    const failed = url.searchParams.has('error');
    response
      .writeHead(failed ? 400 : 200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
      })
      .end(
        PAGE(
          failed
            ? 'Sign-in failed: see fleetctl for why.'
            : 'Signed in: you can close this tab and return to fleetctl.',
        ),
      );
    deliver(new URL(`${url.pathname}${url.search}`, redirectUri));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;
  return {
    redirectUri,
    received: (timeoutMs) => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer from the browser within ${Math.round(timeoutMs / 1000)} s`)),
          timeoutMs,
        );
      });
      return Promise.race([arrived, late]).finally(() => clearTimeout(timer));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Two servers on loopback, of two origins: the first answers every request (but the ones it is
 * told to serve itself) with a 307 to the second, which records whatever reaches it. A client that
 * carries credentials or personal data must not follow: the second server must see nothing.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Redirector {
  /** The first server's base URL, to configure as the API's address. */
  url: string;
  /** Requests that reached the other origin. */
  followed: { method: string; path: string; headers: IncomingMessage['headers'] }[];
  /** Requests the first server redirected. */
  redirected: number;
  close(): Promise<void>;
}

type Own = (request: IncomingMessage, response: ServerResponse) => boolean;

function listen(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<Server> {
  const server = createServer(handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

/** @param serve answers the requests it recognises itself (returning true), e.g. a token endpoint */
export async function startRedirector(serve: Own = () => false): Promise<Redirector> {
  const followed: Redirector['followed'] = [];
  const target = await listen((request, response) => {
    followed.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers });
    request.resume();
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true,"result":{}}');
  });
  const redirector: Redirector = { url: '', followed, redirected: 0, close: async () => {} };
  const first = await listen((request, response) => {
    if (serve(request, response)) return;
    redirector.redirected += 1;
    request.resume();
    response.writeHead(307, { location: `${urlOf(target)}${request.url ?? '/'}` }).end();
  });
  redirector.url = urlOf(first);
  redirector.close = async () => {
    for (const server of [first, target]) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  };
  return redirector;
}

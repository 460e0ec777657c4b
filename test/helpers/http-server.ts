// Loopback HTTP servers for runner tests: a static responder and a go-rest-api-test equivalent
// (the mock the Tekton catalog's fixture tests run as a sidecar; catalog-and-git-clone.md §2.3).
import { readFileSync, readdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, join } from 'node:path';
import { parseAllDocuments } from 'yaml';

export interface TestServer {
  url: string;
  port: number;
  requests: { method: string; path: string; headers: IncomingMessage['headers']; body: string }[];
  close(): Promise<void>;
}

export async function startServer(handler: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<TestServer> {
  const requests: TestServer['requests'] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      handler(req, body, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

interface FixtureRule {
  method: string;
  path: RegExp;
  status: number;
  contentType?: string;
  body: string;
}

/**
 * Serves a catalog `tests/fixtures` folder: every `*.yaml` there holds rules
 * `{headers: {method, path}, response: {status, content-type, output | file}}`; paths are
 * gorilla/mux templates (`{name}` = `[^/]+`, `{name:regex}`); `file: /fixtures/x` reads x from the
 * folder; the first matching rule wins, others get 404; query strings are ignored.
 */
export function startFixtureServer(fixturesDir: string): Promise<TestServer> {
  const rules: FixtureRule[] = [];
  for (const f of readdirSync(fixturesDir).filter((n) => /\.ya?ml$/.test(n)).sort()) {
    for (const doc of parseAllDocuments(readFileSync(join(fixturesDir, f), 'utf8'))) {
      const v = doc.toJS() as { headers?: { method?: string; path?: string }; response?: Record<string, unknown> } | null;
      if (!v?.headers?.path || !v.response) continue;
      const r = v.response;
      const body = typeof r.output === 'string' ? r.output : typeof r.file === 'string' ? readFileSync(join(fixturesDir, basename(r.file)), 'utf8') : '';
      rules.push({ method: v.headers.method ?? 'GET', path: muxTemplate(v.headers.path), status: Number(r.status ?? 200), contentType: r['content-type'] as string | undefined, body });
    }
  }
  return startServer((req, _body, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const rule = rules.find((x) => x.method === req.method && x.path.test(path));
    if (!rule) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(rule.status, rule.contentType ? { 'content-type': rule.contentType } : {}).end(rule.body);
  });
}

function muxTemplate(template: string): RegExp {
  let out = '';
  let i = 0;
  while (i < template.length) {
    if (template[i] === '{') {
      let depth = 1;
      let j = i + 1;
      while (j < template.length && depth) {
        if (template[j] === '{') depth++;
        else if (template[j] === '}') depth--;
        j++;
      }
      const inner = template.slice(i + 1, j - 1);
      const colon = inner.indexOf(':');
      out += `(${colon === -1 ? '[^/]+' : inner.slice(colon + 1)})`;
      i = j;
    } else {
      out += template[i]!.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
      i++;
    }
  }
  return new RegExp(`^${out}$`);
}
